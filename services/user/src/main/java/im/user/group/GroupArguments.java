package im.user.group;

import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import java.util.List;
import java.util.Objects;

/**
 * The group API's request values as the router's messages need them. Only what JSON cannot say by
 * itself is checked here (a missing body or field, an unknown enum name, how many users one call
 * names); the rules of groups (name length, who may do what) are the router's.
 */
final class GroupArguments {

    /** The largest page of members (the router's). */
    static final int MAX_PAGE = 500;

    private GroupArguments() {
    }

    static <T> T body(T body) {
        if (body == null) {
            throw invalid("a JSON body is required");
        }
        return body;
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw invalid(field + " is required");
        }
        return value;
    }

    /** The ids, at most {@code max} of them; absent means none. */
    static List<Long> userIds(List<Long> ids, String field, int max) {
        if (ids == null) {
            return List.of();
        }
        if (ids.size() > max) {
            throw invalid(field + " names at most " + max + " users");
        }
        if (ids.stream().anyMatch(Objects::isNull)) {
            throw invalid(field + " must hold user ids");
        }
        return List.copyOf(ids);
    }

    /** ADMINS_INVITE, MEMBERS_INVITE, OPEN or APPROVAL; absent leaves the router's default. */
    static JoinPolicy joinPolicy(String name) {
        if (name == null) {
            return JoinPolicy.JOIN_POLICY_UNSPECIFIED;
        }
        return switch (name) {
            case "ADMINS_INVITE" -> JoinPolicy.ADMINS_INVITE;
            case "MEMBERS_INVITE" -> JoinPolicy.MEMBERS_INVITE;
            case "OPEN" -> JoinPolicy.OPEN;
            case "APPROVAL" -> JoinPolicy.APPROVAL;
            default -> throw invalid("joinPolicy must be ADMINS_INVITE, MEMBERS_INVITE, OPEN or APPROVAL");
        };
    }

    /** ADMIN or MEMBER (ownership moves by its own call). */
    static GroupRole role(String name) {
        return switch (required(name, "role")) {
            case "ADMIN" -> GroupRole.ADMIN;
            case "MEMBER" -> GroupRole.MEMBER;
            default -> throw invalid("role must be ADMIN or MEMBER");
        };
    }

    /** A page of members: after a user id (0: from the first), 1..{@link #MAX_PAGE} of them. */
    static void page(long afterUserId, int limit) {
        if (afterUserId < 0) {
            throw invalid("after must be a user id or 0");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw invalid("limit must be 1.." + MAX_PAGE);
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemCode.INVALID_ARGUMENT, detail);
    }
}
