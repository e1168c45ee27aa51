package im.client.cli;

import im.client.sdk.ImApiException;
import im.client.sdk.UserView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code im profile ...}: the logged-in user's public profile, as others see it. Not to be confused
 * with {@code --profile}, which picks the local login to use.
 */
@Command(name = "profile", description = "Your public profile as others see it: set-name.",
        subcommands = {ProfileCommand.SetName.class})
final class ProfileCommand implements Runnable {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say set-name");
    }

    @Command(name = "set-name", description = "Change your display name (1..64 characters; `im whoami` shows it).")
    static final class SetName implements Callable<Integer> {

        @ParentCommand
        ProfileCommand parent;

        @Parameters(index = "0", paramLabel = "DISPLAY_NAME")
        String displayName;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            UserView me;
            try {
                me = session.withToken(token -> session.rest().updateDisplayName(token, displayName));
            } catch (ImApiException e) {
                if (e.getStatus() == 400) {
                    throw new CliException("cannot set that name: " + e.getDetail());
                }
                throw e;
            }
            cli.context().out().println("display name is now \"" + MessageLines.printable(me.displayName()) + "\"");
            return 0;
        }
    }
}
