package im.client.cli;

import im.client.sdk.ImApiException;
import im.client.sdk.ImRestClient;
import im.client.sdk.OidcLogin;
import im.client.sdk.OidcLoginPoll;
import im.client.sdk.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "login", description = "Log in and keep the tokens in the profile.",
        footer = "With --gitee: open the printed URL in a browser and allow access; this command waits for it.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Parameters(index = "0", arity = "0..1", paramLabel = "USERNAME",
            description = "The account to log in to; not with --gitee or --provider.")
    String username;

    @Option(names = "--gitee", description = "Log in with a Gitee account (the same as --provider gitee).")
    boolean gitee;

    @Option(names = "--provider", paramLabel = "NAME",
            description = "Log in through the outside login provider the server configures under this name.")
    String provider;

    /** Between polls of a login through a provider; a person needs seconds at the provider anyway. */
    Duration pollInterval = Duration.ofSeconds(2);

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "Default: asked without echo, or read from stdin.")
    String password;

    @Override
    public Integer call() {
        Profile profile = cli.profiles().loadOrCreate(cli.profile);
        String server = cli.serverFor(profile);
        String push = cli.pushFor(profile);
        String through = gitee ? "gitee" : provider;
        if (gitee && provider != null && !provider.equals("gitee")) {
            throw new CliException("--gitee and --provider " + provider + " name two providers");
        }
        if ((through == null) == (username == null)) {
            throw new CliException("give a USERNAME, or --gitee (or --provider NAME), not both");
        }
        Tokens tokens = through == null ? withPassword(cli.restFor(profile))
                : throughProvider(cli.restFor(profile), through);
        Profile saved = profile.withServers(server, cli.usersServerFor(profile), push)
                .withTrust(cli.caCertFor(profile), cli.pinFor(profile))
                .withLogin(tokens.userId(), tokens.username(), tokens.accessToken(), tokens.refreshToken());
        cli.profiles().save(cli.profile, saved);
        cli.context().out().println("logged in as " + tokens.username() + " (id " + tokens.userId() + ") on "
                + server + ", device " + saved.deviceId());
        return 0;
    }

    private Tokens withPassword(ImRestClient rest) {
        String secret = Passwords.read(cli.context(), password, "Password for " + username + ": ");
        try {
            return rest.login(username, secret);
        } catch (ImApiException e) {
            if (e.getStatus() == 401) {
                throw new CliException("wrong username or password");
            }
            throw e;
        }
    }

    /**
     * Device style: the server gives a URL for a browser (on this machine or any other) and a login
     * id only this command holds; it polls with the id until the server has its own tokens for it.
     */
    private Tokens throughProvider(ImRestClient rest, String name) {
        OidcLogin login;
        try {
            login = rest.startOidcLogin(name);
        } catch (ImApiException e) {
            if ("OIDC_PROVIDER_UNKNOWN".equals(e.getCode())) {
                throw new CliException("the server has no login through " + name);
            }
            throw e;
        }
        cli.context().out().println("Open this URL in a browser and allow access:");
        cli.context().out().println("  " + login.authorizeUrl());
        cli.context().out().println("Waiting for the browser (up to " + login.expiresIn() / 60 + " minutes)...");
        try {
            while (true) {
                OidcLoginPoll poll = rest.pollOidcLogin(login.loginId());
                if (poll.done()) {
                    return poll.tokens();
                }
                if (poll.linkRequired()) {
                    return link(rest, login, name, poll.linkUsername());
                }
                Thread.sleep(pollInterval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the browser");
        } catch (ImApiException e) {
            throw new CliException(failure(name, e), e);
        }
    }

    private Tokens link(ImRestClient rest, OidcLogin login, String name, String existing) {
        cli.context().out().println("An account named " + existing + " exists here. Give its password to link it"
                + " to your " + name + " login (it is asked once; later " + name + " logins need none).");
        String secret = Passwords.read(cli.context(), password, "Password for " + existing + ": ");
        try {
            return rest.linkOidcLogin(login.loginId(), existing, secret);
        } catch (ImApiException e) {
            if (e.getStatus() == 401) {
                throw new CliException("wrong password for " + existing + "; run `im login --" + name
                        + "` again to retry");
            }
            throw e;
        }
    }

    private static String failure(String name, ImApiException e) {
        String code = e.getCode() == null ? "" : e.getCode();
        switch (code) {
            case "OIDC_DENIED":
                return "access was refused at " + name;
            case "OIDC_STATE_MISMATCH":
                return "the browser came back with an answer that does not belong to this login; run it again";
            case "OIDC_EMAIL_UNVERIFIED":
                return "your " + name + " account has no verified email address; verify one there and run it again";
            case "OIDC_PROVIDER_ERROR":
                return name + " refused or failed to finish the login; run it again";
            case "OIDC_LOGIN_EXPIRED":
                return "the login expired before the browser came back; run it again";
            default:
                return e.getMessage();
        }
    }
}
