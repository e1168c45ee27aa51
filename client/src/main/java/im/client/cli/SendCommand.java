package im.client.cli;

import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.client.sdk.UserView;
import im.protocol.client.SendAck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "send", description = "Send one message to a friend; prints its seq and msgId once stored.")
final class SendCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message (words are joined by spaces).")
    List<String> text;

    @Override
    public Integer call() {
        String message = MessageLines.text(String.join(" ", text));
        Session session = Session.require(cli);
        UserView peer = session.user(username);
        try (ImClient client = session.connect(new ImClient.Listener() { })) {
            SendAck ack = Session.await(client.sendText(peer.userId(), message));
            cli.context().out().println("sent to " + peer.username() + ": seq " + ack.getSeq() + ", msgId " + ack.getMsgId());
            return 0;
        } catch (ImErrorException e) {
            throw new CliException(MessageLines.sendFailure(e, peer.username()), e);
        }
    }
}
