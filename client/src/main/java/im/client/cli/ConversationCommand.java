package im.client.cli;

import im.client.sdk.ImClient;
import im.protocol.client.ConversationSettings;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "conversation", description = "Your settings of one conversation, with a user or a group "
        + "(--group): mute, unmute, pin, unpin. Your other devices follow at once.",
        subcommands = {ConversationCommand.Mute.class, ConversationCommand.Unmute.class,
                ConversationCommand.Pin.class, ConversationCommand.Unpin.class})
final class ConversationCommand implements Runnable {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say mute, unmute, pin or unpin");
    }

    /** The one setting a subcommand changes, its target, and how it reports the outcome. */
    abstract static class Setting implements Callable<Integer> {

        @ParentCommand
        ConversationCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "USERNAME")
        String username;

        @Option(names = "--group", paramLabel = "ID", description = "A group's conversation instead.")
        Long groupId;

        abstract Boolean notificationsOff();

        abstract Boolean pinned();

        @Override
        public Integer call() {
            ChatCommand.requireOneTarget(spec, username, groupId);
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            ChatTarget target = ChatTarget.of(session, username, groupId, ZoneId.systemDefault());
            try (ImClient client = session.connect(new ImClient.Listener() { })) {
                ConversationSettings now = Session.await(
                        client.setConversationSettings(target.conversation(), notificationsOff(), pinned()));
                cli.context().out().println("conversation " + target.description() + ": "
                        + (now.getPinned() ? "pinned" : "not pinned") + ", notifications "
                        + (now.getNotificationsOff() ? "off" : "on"));
                return 0;
            }
        }
    }

    @Command(name = "mute", description = "Turn the conversation's notifications off (it still counts unread).")
    static final class Mute extends Setting {
        @Override
        Boolean notificationsOff() {
            return true;
        }

        @Override
        Boolean pinned() {
            return null;
        }
    }

    @Command(name = "unmute", description = "Turn the conversation's notifications on again.")
    static final class Unmute extends Setting {
        @Override
        Boolean notificationsOff() {
            return false;
        }

        @Override
        Boolean pinned() {
            return null;
        }
    }

    @Command(name = "pin", description = "Keep the conversation at the top of your list.")
    static final class Pin extends Setting {
        @Override
        Boolean notificationsOff() {
            return null;
        }

        @Override
        Boolean pinned() {
            return true;
        }
    }

    @Command(name = "unpin", description = "Let the conversation take its place by time again.")
    static final class Unpin extends Setting {
        @Override
        Boolean notificationsOff() {
            return null;
        }

        @Override
        Boolean pinned() {
            return false;
        }
    }
}
