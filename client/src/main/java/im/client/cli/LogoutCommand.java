package im.client.cli;

import im.client.sdk.ImApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "logout", description = "Revoke the tokens and forget them (the device id stays).")
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Override
    public Integer call() {
        Profile profile = cli.profiles().load(cli.profile).orElse(null);
        if (profile == null || !profile.loggedIn()) {
            cli.context().out().println("not logged in");
            return 0;
        }
        try {
            cli.restFor(profile).logout(profile.refreshToken());
        } catch (ImApiException e) {
            // Already revoked or expired on the server: forgetting it locally is all that is left.
            if (e.getStatus() != 401) {
                throw e;
            }
        }
        cli.profiles().save(cli.profile, profile.loggedOut());
        cli.context().out().println("logged out " + profile.username());
        return 0;
    }
}
