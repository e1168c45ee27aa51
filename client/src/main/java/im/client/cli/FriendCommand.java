package im.client.cli;

import im.client.sdk.FriendRequest;
import im.client.sdk.ImApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "friend", description = "Friend requests: add, requests, accept.",
        subcommands = {FriendCommand.Add.class, FriendCommand.Requests.class, FriendCommand.Accept.class})
final class FriendCommand implements Runnable {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say add, requests or accept");
    }

    @Command(name = "add", description = "Ask someone to be your friend (accepts theirs if they asked first).")
    static final class Add implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            try {
                FriendRequest request = session.withToken(token -> session.rest().requestFriend(token, username));
                cli.context().out().println(request.accepted()
                        ? "you and " + username + " are now friends"
                        : "friend request " + request.requestId() + " sent to " + username);
                return 0;
            } catch (ImApiException e) {
                switch (e.getStatus()) {
                    case 409 -> {
                        cli.context().out().println("you and " + username + " are already friends");
                        return 0;
                    }
                    case 404 -> throw new CliException("no such user: " + username);
                    case 400 -> throw new CliException("cannot befriend " + username + ": " + e.getDetail());
                    default -> throw e;
                }
            }
        }
    }

    @Command(name = "requests", description = "List friend requests waiting for your answer.")
    static final class Requests implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            List<FriendRequest> pending = session.withToken(token -> session.rest().pendingFriendRequests(token));
            if (pending.isEmpty()) {
                cli.context().out().println("no pending friend requests");
            }
            for (FriendRequest r : pending) {
                cli.context().out().println(r.requestId() + "  from " + r.fromUsername() + " (id " + r.fromUserId()
                        + "): " + cli.suggest("friend accept " + r.requestId()));
            }
            return 0;
        }
    }

    @Command(name = "accept", description = "Accept a friend request.")
    static final class Accept implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "REQUEST_ID")
        long requestId;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            try {
                FriendRequest accepted = session.withToken(token -> session.rest().acceptFriendRequest(token, requestId));
                String who = accepted.fromUsername() != null ? accepted.fromUsername()
                        : session.withToken(token -> session.rest().user(token, accepted.fromUserId())).username();
                cli.context().out().println("you and " + who + " are now friends");
                return 0;
            } catch (ImApiException e) {
                if (e.getStatus() == 404) {
                    throw new CliException("no friend request " + requestId + " for you: see " + cli.suggest("friend requests"));
                }
                throw e;
            }
        }
    }
}
