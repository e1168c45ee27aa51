package im.client.cli;

import im.client.sdk.ImApiException;
import im.client.sdk.RegisteredUser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "register", description = "Create an account.")
final class RegisterCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "3..32 of a-z, 0-9, '_', '.', '-'.")
    String username;

    @Option(names = "--display-name", paramLabel = "NAME", description = "Name shown to others (default: the username).")
    String displayName;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "8..128 characters (default: asked without echo, or read from stdin).")
    String password;

    @Override
    public Integer call() {
        Profile profile = cli.profiles().loadOrCreate(cli.profile);
        String server = cli.serverFor(profile);
        String secret = Passwords.read(cli.context(), password, "Password for " + username + ": ");
        try {
            RegisteredUser user = cli.restFor(profile)
                    .register(username, secret, displayName == null ? username : displayName);
            cli.context().out().println("registered " + user.username() + " (id " + user.userId()
                    + "); now run " + cli.suggest("login " + user.username()));
            return 0;
        } catch (ImApiException e) {
            if (e.getStatus() == 409) {
                throw new CliException("the username " + username + " is taken");
            }
            if (e.getStatus() == 400) {
                throw new CliException("cannot register: " + e.getDetail());
            }
            throw e;
        }
    }
}
