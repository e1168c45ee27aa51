package im.client.cli;

import im.client.sdk.ImClient;
import im.protocol.client.MessagesHidden;
import im.protocol.client.SendAck;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "message", description = "Change a message of a conversation (`history --seqs` shows them): recall it "
        + "for everyone, edit it, or delete it for yourself.",
        subcommands = {MessageCommand.Recall.class, MessageCommand.Edit.class, MessageCommand.DeleteForMe.class})
final class MessageCommand implements Runnable {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say recall, edit or delete-for-me");
    }

    /** The conversation a subcommand acts in: with a user, or a group's with --group. */
    abstract static class InConversation implements Callable<Integer> {

        @ParentCommand
        MessageCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--with", paramLabel = "USERNAME", description = "The conversation with this user.")
        String username;

        @Option(names = "--group", paramLabel = "ID", description = "This group's conversation.")
        Long groupId;

        abstract String act(ImClient client, ChatTarget target);

        @Override
        public Integer call() {
            ChatCommand.requireOneTarget(spec, username, groupId);
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            ChatTarget target = ChatTarget.of(session, username, groupId, ZoneId.systemDefault());
            try (ImClient client = session.connect(new ImClient.Listener() { })) {
                cli.context().out().println(act(client, target));
                return 0;
            }
        }
    }

    @Command(name = "recall", description = "Recall a message for everyone: your own within minutes of sending it, "
            + "or any message of a group you own or administer.")
    static final class Recall extends InConversation {
        @Parameters(index = "0", paramLabel = "SEQ")
        long seq;

        @Override
        String act(ImClient client, ChatTarget target) {
            SendAck ack = Session.await(client.recall(target.conversation(), seq));
            return "recalled message " + seq + " " + target.description() + " (seq " + ack.getSeq() + ")";
        }
    }

    @Command(name = "edit", description = "Say something else in one of your text messages.")
    static final class Edit extends InConversation {
        @Parameters(index = "0", paramLabel = "SEQ")
        long seq;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The new text (words are joined by spaces).")
        List<String> text;

        @Override
        String act(ImClient client, ChatTarget target) {
            String message = MessageLines.text(String.join(" ", text));
            SendAck ack = Session.await(client.edit(target.conversation(), seq, message));
            return "edited message " + seq + " " + target.description() + " (seq " + ack.getSeq() + ")";
        }
    }

    @Command(name = "delete-for-me", description = "Delete messages for yourself only, on all your devices.")
    static final class DeleteForMe extends InConversation {
        @Parameters(index = "0..*", arity = "1..*", paramLabel = "SEQ")
        List<Long> seqs;

        @Override
        String act(ImClient client, ChatTarget target) {
            MessagesHidden hidden = Session.await(client.hideForMe(target.conversation(),
                    seqs.stream().mapToLong(Long::longValue).toArray()));
            return "deleted for you " + target.description() + ": " + hidden.getSeqsList();
        }
    }
}
