package im.client.cli;

import im.client.sdk.GroupChange;
import im.client.sdk.GroupJoinRequest;
import im.client.sdk.GroupMemberPage;
import im.client.sdk.GroupMemberView;
import im.client.sdk.GroupView;
import im.client.sdk.ImApiException;
import im.client.sdk.UserView;
import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "group", description = "Groups: create, list, info, members, add, remove, join, requests, approve, "
        + "reject, leave, role, mute, owner, rename, dissolve. Talk in one with `im chat --group ID`.",
        subcommands = {
                GroupCommand.Create.class, GroupCommand.ListGroups.class, GroupCommand.Info.class,
                GroupCommand.Members.class, GroupCommand.Add.class, GroupCommand.Remove.class,
                GroupCommand.Join.class, GroupCommand.Requests.class, GroupCommand.Approve.class,
                GroupCommand.Reject.class, GroupCommand.Leave.class, GroupCommand.Role.class,
                GroupCommand.Mute.class, GroupCommand.Owner.class, GroupCommand.Rename.class,
                GroupCommand.Dissolve.class
        })
final class GroupCommand implements Runnable {

    /** Members listed per request: the server's largest page. */
    static final int MEMBERS_PAGE = 500;
    /** Member names looked up for one listing; the rest are shown by id. */
    private static final int MAX_NAME_LOOKUPS = 200;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say create, list, info, members, add, remove, join, requests, approve, reject, leave, role, mute, "
                        + "owner, rename or dissolve");
    }

    // ---- shared by the subcommands -----------------------------------------------------------

    /** The group as the user sees it, or one line saying it is none of theirs. */
    static GroupView find(Session session, long groupId) {
        return request(session, groupId, "see the group", token -> session.rest().group(token, groupId));
    }

    /**
     * A REST call about one group, its refusals as lines the user can act on: 404 (no such group,
     * or not a member: the server tells them apart for nobody), 403 (the role does not allow it),
     * 400 and 409 (what the server says).
     */
    static <T> T request(Session session, long groupId, String action, Function<String, T> call) {
        try {
            return session.withToken(call);
        } catch (ImApiException e) {
            String detail = e.getDetail() == null ? "" : ": " + e.getDetail();
            throw switch (e.getStatus()) {
                case 404 -> "UNKNOWN_USER".equals(e.getCode())
                        ? new CliException("no such user" + detail)
                        : new CliException("no group " + groupId + " of yours (see `im group list`)" + detail);
                case 403 -> new CliException("you may not " + action + " (group " + groupId + ")" + detail);
                case 400, 409 -> new CliException("cannot " + action + " (group " + groupId + ")" + detail);
                default -> e;
            };
        }
    }

    /** The users' ids, looked up by username, each once, in the order given. */
    static List<Long> userIds(Session session, List<String> usernames) {
        List<Long> ids = new ArrayList<>();
        for (String username : new LinkedHashSet<>(usernames)) {
            ids.add(session.user(username).userId());
        }
        return ids;
    }

    /** Prints what a change did, or that it changed nothing. */
    static void report(PrintStream out, GroupChange change, String done, String nothing) {
        out.println(change.changed() ? done + " (seq " + change.seq() + ")" : nothing);
    }

    static String title(GroupView g) {
        return "group " + g.groupId() + " \"" + MessageLines.printable(g.name()) + "\"";
    }

    static String policy(JoinPolicy policy) {
        return policy == null ? "unknown" : switch (policy) {
            case ADMINS_INVITE -> "admins-invite (the owner and admins add members)";
            case MEMBERS_INVITE -> "members-invite (any member adds members)";
            case OPEN -> "open (anyone with the group's id joins)";
            case APPROVAL -> "approval (anyone with the group's id asks to join; the owner or an admin approves)";
            default -> "unknown";
        };
    }

    /** {@code admins-invite}, {@code MEMBERS_INVITE}, {@code open}, {@code approval}: any case, dash or underscore. */
    static JoinPolicy parsePolicy(CommandSpec spec, String text) {
        String normal = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (normal) {
            case "ADMINS_INVITE" -> JoinPolicy.ADMINS_INVITE;
            case "MEMBERS_INVITE" -> JoinPolicy.MEMBERS_INVITE;
            case "OPEN" -> JoinPolicy.OPEN;
            case "APPROVAL" -> JoinPolicy.APPROVAL;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--policy must be admins-invite, members-invite, open or approval, not " + text);
        };
    }

    static GroupRole parseRole(CommandSpec spec, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "admin" -> GroupRole.ADMIN;
            case "member" -> GroupRole.MEMBER;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "ROLE must be admin or member, not " + text);
        };
    }

    /** One line of `group list`: {@code 7  "team"  3 members, you: owner, muted}. */
    static String listLine(GroupView g) {
        return g.groupId() + "  \"" + MessageLines.printable(g.name()) + "\"  " + g.memberCount()
                + (g.memberCount() == 1 ? " member" : " members") + ", you: " + MessageLines.role(g.myRole())
                + (g.muted() ? ", muted" : "") + (g.dissolved() ? ", dissolved" : "");
    }

    /** One line of `group requests`: {@code bob (id 2)  asked 2026-12-02 14:57}. */
    static String requestLine(GroupJoinRequest r, UserNames names) {
        return names.nameOf(r.userId()) + " (id " + r.userId() + ")  asked " + dateTime(r.requestedAtMs());
    }

    static String dateTime(long epochMs) {
        return DATE_TIME.format(Instant.ofEpochMilli(epochMs).atZone(ZoneId.systemDefault()));
    }

    /** One line of `group members`: {@code bob (id 2)  admin, muted}. */
    static String memberLine(GroupMemberView m, UserNames names) {
        return names.nameOf(m.userId()) + " (id " + m.userId() + ")  " + MessageLines.role(m.role())
                + (m.muted() ? ", muted" : "");
    }

    // ---- subcommands -------------------------------------------------------------------------

    /** A subcommand about one user in one group: {@code ID USERNAME}. */
    abstract static class OnMember implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Parameters(index = "1", paramLabel = "USERNAME")
        String username;
    }

    @Command(name = "create", description = "Make a group with you as its owner.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "The group's name (1..64 characters).")
        String name;

        @Option(names = "--members", split = ",", paramLabel = "USERNAME",
                description = "First members besides you, comma-separated: --members alice,bob")
        List<String> members = new ArrayList<>();

        @Option(names = "--policy", paramLabel = "POLICY",
                description = "Who brings in members: admins-invite (default), members-invite, open, "
                        + "approval (anyone asks to join, the owner or an admin approves).")
        String policy;

        @Override
        public Integer call() {
            JoinPolicy joinPolicy = policy == null ? null : parsePolicy(parent.spec, policy);
            Session session = Session.require(parent.cli);
            List<Long> ids = userIds(session, members);
            GroupView g;
            try {
                g = session.withToken(token -> session.rest().createGroup(token, name, ids, joinPolicy));
            } catch (ImApiException e) {
                if (e.getStatus() == 400 || e.getStatus() == 403 || e.getStatus() == 409) {
                    throw new CliException("cannot create the group"
                            + (e.getDetail() == null ? "" : ": " + e.getDetail()));
                }
                throw e;
            }
            parent.cli.context().out().println("created " + title(g) + " with " + g.memberCount()
                    + (g.memberCount() == 1 ? " member" : " members") + "; talk in it: "
                    + parent.cli.suggest("chat --group " + g.groupId()));
            return 0;
        }
    }

    @Command(name = "list", description = "List your groups.")
    static final class ListGroups implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            List<GroupView> groups = session.withToken(token -> session.rest().groups(token));
            PrintStream out = parent.cli.context().out();
            if (groups.isEmpty()) {
                out.println("no groups yet: " + parent.cli.suggest("group create <name>"));
            }
            groups.forEach(g -> out.println(listLine(g)));
            return 0;
        }
    }

    @Command(name = "info", description = "Show a group: owner, members, policy, your role.")
    static final class Info implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            GroupView g = find(session, groupId);
            UserNames names = UserNames.of(session, 1);
            PrintStream out = parent.cli.context().out();
            out.println(title(g) + (g.dissolved() ? " (dissolved)" : ""));
            out.println("  conversation  " + g.conversationId());
            out.println("  owner         " + names.nameOf(g.ownerId()) + " (id " + g.ownerId() + ")");
            out.println("  members       " + g.memberCount());
            out.println("  join policy   " + policy(g.joinPolicy()));
            out.println("  muted         " + (g.muted() ? "yes: only the owner and admins may send" : "no"));
            out.println("  you           " + MessageLines.role(g.myRole()) + ", reading from seq " + g.joinedSeq());
            out.println("  created       " + dateTime(g.createdAtMs()));
            return 0;
        }
    }

    @Command(name = "members", description = "List a group's members with their roles.")
    static final class Members implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            UserNames names = UserNames.of(session, MAX_NAME_LOOKUPS);
            PrintStream out = parent.cli.context().out();
            long after = 0;
            while (true) {
                long from = after;
                GroupMemberPage page = request(session, groupId, "list members",
                        token -> session.rest().groupMembers(token, groupId, from, MEMBERS_PAGE));
                page.members().forEach(m -> out.println(memberLine(m, names)));
                if (!page.hasMore() || page.members().isEmpty()) {
                    return 0;
                }
                after = page.members().get(page.members().size() - 1).userId();
            }
        }
    }

    @Command(name = "add", description = "Add users to a group (owner and admins; anyone in a members-invite group).")
    static final class Add implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "USERNAME")
        List<String> usernames;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            List<Long> ids = userIds(session, usernames);
            GroupChange change = request(session, groupId, "add members",
                    token -> session.rest().addGroupMembers(token, groupId, ids));
            String who = String.join(", ", new LinkedHashSet<>(usernames));
            report(parent.cli.context().out(), change, "added " + who + " to group " + groupId,
                    who + (ids.size() == 1 ? " is" : " are") + " in group " + groupId + " already");
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a member from a group (owner: anyone; admins: members).")
    static final class Remove extends OnMember {

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            UserView user = session.user(username);
            GroupChange change = request(session, groupId, "remove members",
                    token -> session.rest().removeGroupMember(token, groupId, user.userId()));
            report(parent.cli.context().out(), change, "removed " + username + " from group " + groupId,
                    username + " is not in group " + groupId);
            return 0;
        }
    }

    @Command(name = "join", description = "Join an open group, or ask to join an approval group.")
    static final class Join implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            GroupChange change = request(session, groupId, "join", token -> session.rest().joinGroup(token, groupId));
            PrintStream out = parent.cli.context().out();
            if (change.pending()) {
                out.println("asked to join group " + groupId + "; you are in once the owner or an admin approves");
            } else if (change.changed()) {
                out.println("joined group " + groupId + " (seq " + change.seq() + "); talk in it: "
                        + parent.cli.suggest("chat --group " + groupId));
            } else {
                out.println("you are in group " + groupId + " already");
            }
            return 0;
        }
    }

    @Command(name = "requests", description = "List who asks to join a group (owner and admins).")
    static final class Requests implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            List<GroupJoinRequest> requests = request(session, groupId, "see requests to join",
                    token -> session.rest().joinRequests(token, groupId));
            PrintStream out = parent.cli.context().out();
            if (requests.isEmpty()) {
                out.println("nobody asks to join group " + groupId);
                return 0;
            }
            UserNames names = UserNames.of(session, MAX_NAME_LOOKUPS);
            requests.forEach(r -> out.println(requestLine(r, names)));
            out.println("answer with " + parent.cli.suggest("group approve " + groupId + " USERNAME") + " or "
                    + parent.cli.suggest("group reject " + groupId + " USERNAME"));
            return 0;
        }
    }

    @Command(name = "approve", description = "Let a user who asked join a group (owner and admins).")
    static final class Approve extends OnMember {

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            UserView user = session.user(username);
            GroupChange change = request(session, groupId, "approve requests to join",
                    token -> session.rest().approveJoin(token, groupId, user.userId()));
            report(parent.cli.context().out(), change, username + " joined group " + groupId,
                    username + " has not asked to join group " + groupId);
            return 0;
        }
    }

    @Command(name = "reject", description = "Turn down a user's request to join a group (owner and admins).")
    static final class Reject extends OnMember {

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            UserView user = session.user(username);
            request(session, groupId, "reject requests to join",
                    token -> session.rest().rejectJoin(token, groupId, user.userId()));
            parent.cli.context().out().println("rejected " + username + "'s request to join group " + groupId
                    + " (if there was one)");
            return 0;
        }
    }

    @Command(name = "leave", description = "Leave a group (an owner makes someone else the owner first).")
    static final class Leave implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            GroupChange change = request(session, groupId, "leave", token -> session.rest().leaveGroup(token, groupId));
            report(parent.cli.context().out(), change, "left group " + groupId, "you are not in group " + groupId);
            return 0;
        }
    }

    @Command(name = "role", description = "Make a member an admin, or an admin a member again (owner only).")
    static final class Role extends OnMember {

        @Parameters(index = "2", paramLabel = "ROLE", description = "admin or member")
        String role;

        @Override
        public Integer call() {
            GroupRole groupRole = parseRole(parent.spec, role);
            Session session = Session.require(parent.cli);
            UserView user = session.user(username);
            GroupChange change = request(session, groupId, "change roles",
                    token -> session.rest().setGroupRole(token, groupId, user.userId(), groupRole));
            String asRole = (groupRole == GroupRole.ADMIN ? "an " : "a ") + MessageLines.role(groupRole);
            report(parent.cli.context().out(), change, username + " is now " + asRole + " of group " + groupId,
                    username + " is " + asRole + " already");
            return 0;
        }
    }

    @Command(name = "mute", description = "Mute a member (they may not send), or the whole group (only the owner "
            + "and admins may send); --off lifts it.")
    static final class Mute implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "USERNAME", description = "The member; none: the group.")
        String username;

        @Option(names = "--off", description = "Unmute instead.")
        boolean off;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            boolean muted = !off;
            String verb = muted ? "muted" : "unmuted";
            PrintStream out = parent.cli.context().out();
            if (username == null) {
                GroupChange change = request(session, groupId, "mute",
                        token -> session.rest().setGroupMuted(token, groupId, muted));
                report(out, change, verb + " group " + groupId
                        + (muted ? ": only the owner and admins may send" : ": everyone may send"),
                        "group " + groupId + " is " + verb + " already");
                return 0;
            }
            UserView user = session.user(username);
            GroupChange change = request(session, groupId, "mute",
                    token -> session.rest().setGroupMemberMuted(token, groupId, user.userId(), muted));
            report(out, change, verb + " " + username + " in group " + groupId,
                    username + " is " + verb + " already");
            return 0;
        }
    }

    @Command(name = "owner", description = "Make another member the owner; you become an admin (owner only).")
    static final class Owner extends OnMember {

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            UserView user = session.user(username);
            GroupChange change = request(session, groupId, "hand over ownership",
                    token -> session.rest().transferGroupOwnership(token, groupId, user.userId()));
            report(parent.cli.context().out(), change,
                    username + " is now the owner of group " + groupId + "; you are an admin",
                    username + " is the owner already");
            return 0;
        }
    }

    @Command(name = "rename", description = "Rename a group (owner and admins).")
    static final class Rename implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            GroupChange change = request(session, groupId, "rename",
                    token -> session.rest().renameGroup(token, groupId, name));
            String quoted = "\"" + MessageLines.printable(name) + "\"";
            report(parent.cli.context().out(), change, "group " + groupId + " is now called " + quoted,
                    "group " + groupId + " is called " + quoted + " already");
            return 0;
        }
    }

    @Command(name = "dissolve", description = "Close a group for good: nobody sends any more, the members keep "
            + "its history (owner only).")
    static final class Dissolve implements Callable<Integer> {

        @ParentCommand
        GroupCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        long groupId;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            GroupChange change = request(session, groupId, "dissolve",
                    token -> session.rest().dissolveGroup(token, groupId));
            report(parent.cli.context().out(), change, "dissolved group " + groupId,
                    "group " + groupId + " is dissolved already");
            return 0;
        }
    }
}
