package im.client.cli;

import im.client.sdk.ImApiException;
import im.client.sdk.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "login", description = "Log in and keep the tokens in the profile.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "Default: asked without echo, or read from stdin.")
    String password;

    @Override
    public Integer call() {
        Profile profile = cli.profiles().loadOrCreate(cli.profile);
        String server = cli.serverFor(profile);
        String push = cli.pushFor(profile);
        String secret = Passwords.read(cli.context(), password, "Password for " + username + ": ");
        Tokens tokens;
        try {
            tokens = cli.restFor(profile).login(username, secret);
        } catch (ImApiException e) {
            if (e.getStatus() == 401) {
                throw new CliException("wrong username or password");
            }
            throw e;
        }
        Profile saved = profile.withServers(server, cli.usersServerFor(profile), push)
                .withLogin(tokens.userId(), tokens.username(), tokens.accessToken(), tokens.refreshToken());
        cli.profiles().save(cli.profile, saved);
        cli.context().out().println("logged in as " + tokens.username() + " (id " + tokens.userId() + ") on "
                + server + ", device " + saved.deviceId());
        return 0;
    }
}
