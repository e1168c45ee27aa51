package im.client.cli;

import im.client.sdk.BlockedUser;
import im.client.sdk.FriendRequest;
import im.client.sdk.ImApiException;
import im.client.sdk.UserView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "friend",
        description = "Friends: add, requests, accept, reject, remove, block, unblock, blocks, remark, search, show-presence, "
                + "accept-requests.",
        subcommands = {FriendCommand.Add.class, FriendCommand.Requests.class, FriendCommand.Accept.class,
                FriendCommand.Reject.class, FriendCommand.Remove.class, FriendCommand.Block.class,
                FriendCommand.Unblock.class, FriendCommand.Blocks.class, FriendCommand.Remark.class,
                FriendCommand.Search.class, FriendCommand.AcceptRequests.class, FriendCommand.ShowPresence.class})
final class FriendCommand implements Runnable {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say add, requests, accept, reject, remove, block, unblock, blocks, remark, search, accept-requests "
                        + "or show-presence");
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
                if ("ALREADY_FRIENDS".equals(e.getCode())) {
                    cli.context().out().println("you and " + username + " are already friends");
                    return 0;
                }
                switch (e.getStatus()) {
                    case 404 -> throw new CliException("no such user: " + username);
                    // 400 yourself, 403 takes no requests, 409 you blocked them
                    case 400, 403, 409 -> throw new CliException("cannot befriend " + username + ": " + e.getDetail());
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

    @Command(name = "reject", description = "Turn down a friend request (the asker is not told).")
    static final class Reject implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "REQUEST_ID")
        long requestId;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            try {
                session.withToken(token -> session.rest().rejectFriendRequest(token, requestId));
                cli.context().out().println("rejected friend request " + requestId);
                return 0;
            } catch (ImApiException e) {
                switch (e.getStatus()) {
                    case 404 -> throw new CliException("no friend request " + requestId + " for you: see "
                            + cli.suggest("friend requests"));
                    case 409 -> throw new CliException("friend request " + requestId + " was accepted: "
                            + cli.suggest("friend remove USERNAME") + " instead");
                    default -> throw e;
                }
            }
        }
    }

    @Command(name = "remove", description = "Stop being friends (for both of you; no more messages between you).")
    static final class Remove implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            UserView user = session.user(username);
            session.withToken(token -> {
                session.rest().removeFriend(token, user.userId());
                return null;
            });
            cli.context().out().println("you and " + username + " are not friends (any more)");
            return 0;
        }
    }

    @Command(name = "block", description = "Block someone: ends your friendship and requests; they cannot ask "
            + "or write to you until you unblock them.")
    static final class Block implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            UserView user = session.user(username);
            session.withToken(token -> session.rest().blockUser(token, user.userId()));
            cli.context().out().println("blocked " + username + "; undo with " + cli.suggest("friend unblock " + username));
            return 0;
        }
    }

    @Command(name = "unblock", description = "Lift a block (the friendship it ended does not come back).")
    static final class Unblock implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            UserView user = session.user(username);
            session.withToken(token -> {
                session.rest().unblockUser(token, user.userId());
                return null;
            });
            cli.context().out().println(username + " is not blocked");
            return 0;
        }
    }

    @Command(name = "blocks", description = "List the users you blocked.")
    static final class Blocks implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            List<BlockedUser> blocked = session.withToken(token -> session.rest().blockedUsers(token));
            if (blocked.isEmpty()) {
                cli.context().out().println("you blocked nobody");
            }
            for (BlockedUser b : blocked) {
                cli.context().out().println(b.username() + "  " + b.displayName() + " (id " + b.userId()
                        + ")  blocked " + GroupCommand.dateTime(b.blockedAtMs()));
            }
            return 0;
        }
    }

    @Command(name = "remark", description = "Set the name you see for a friend; without REMARK, clear it.")
    static final class Remark implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Parameters(index = "1", arity = "0..1", paramLabel = "REMARK")
        String remark;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            UserView user = session.user(username);
            try {
                session.withToken(token -> session.rest().setFriendRemark(token, user.userId(), remark));
            } catch (ImApiException e) {
                switch (e.getStatus()) {
                    case 404 -> throw new CliException(username + " is not your friend");
                    case 400 -> throw new CliException("cannot set that remark: " + e.getDetail());
                    default -> throw e;
                }
            }
            cli.context().out().println(remark == null || remark.isEmpty() ? "cleared your remark for " + username
                    : "you see " + username + " as \"" + remark + "\"");
            return 0;
        }
    }

    @Command(name = "search", description = "Find users whose username starts with PREFIX (2 characters at least).")
    static final class Search implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", paramLabel = "PREFIX")
        String prefix;

        @Option(names = "--limit", paramLabel = "N", description = "At most N users (1..50, default 20).")
        int limit = 20;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            if (limit < 1) {
                throw new CliException("--limit must be at least 1");
            }
            List<UserView> found;
            try {
                found = session.withToken(token -> session.rest().searchUsers(token, prefix, limit));
            } catch (ImApiException e) {
                if (e.getStatus() == 400) {
                    throw new CliException("cannot search for \"" + prefix + "\": " + e.getDetail());
                }
                throw e;
            }
            if (found.isEmpty()) {
                cli.context().out().println("nobody's username starts with " + prefix);
            }
            for (UserView u : found) {
                cli.context().out().println(u.username() + "  " + u.displayName() + " (id " + u.userId() + ")");
            }
            return 0;
        }
    }

    /**
     * A setting that is on or off: without on|off it is read, with one it is set; the server's
     * answer is what is printed.
     */
    abstract static class OnOffSetting implements Callable<Integer> {

        @ParentCommand
        FriendCommand parent;

        @Parameters(index = "0", arity = "0..1", paramLabel = "on|off")
        String value;

        abstract boolean read(Session session, String token);

        abstract boolean write(Session session, String token, boolean on);

        abstract String describe(boolean on);

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            boolean on;
            if (value == null) {
                on = session.withToken(token -> read(session, token));
            } else if (value.equals("on") || value.equals("off")) {
                on = session.withToken(token -> write(session, token, value.equals("on")));
            } else {
                throw new CliException("say on or off, not " + value);
            }
            cli.context().out().println(describe(on));
            return 0;
        }
    }

    @Command(name = "accept-requests", description = "Take friend requests (on, the default) or refuse them all (off).")
    static final class AcceptRequests extends OnOffSetting {
        @Override
        boolean read(Session session, String token) {
            return session.rest().acceptsFriendRequests(token);
        }

        @Override
        boolean write(Session session, String token, boolean on) {
            return session.rest().setAcceptFriendRequests(token, on);
        }

        @Override
        String describe(boolean on) {
            return on ? "you take friend requests" : "you refuse new friend requests";
        }
    }

    @Command(name = "show-presence", description = "Show your friends when you are online and when you were last "
            + "seen (on, the default), or nobody (off).")
    static final class ShowPresence extends OnOffSetting {
        @Override
        boolean read(Session session, String token) {
            return session.rest().showsPresence(token);
        }

        @Override
        boolean write(Session session, String token, boolean on) {
            return session.rest().setShowPresence(token, on);
        }

        @Override
        String describe(boolean on) {
            return on ? "your friends see when you are online" : "nobody sees when you are online";
        }
    }
}
