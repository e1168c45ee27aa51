package im.user.friend;

import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import im.user.profile.UserProfile;
import im.user.profile.UserProfileRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Friend requests, friendships and blocks. Every change to a pair runs under row locks on both
 * users' profiles, taken lower id first, so concurrent requests, cross requests, acceptances,
 * removals and blocks of the same pair happen one after the other and a friendship is written or
 * ended exactly once, both rows in the same transaction. Reads after the locks see the latest rows
 * because the service runs at READ COMMITTED (see application.properties); "locked" helpers below
 * rely on that.
 *
 * <p>A block holds no friendship and no request between the pair, and none can be made while it
 * lasts: so the friendship check alone ({@link #areFriends}) refuses a blocked user's messages.
 *
 * <p>{@link #remove} and {@link #block} end a friendship in their transaction; the caller tells
 * the routers ({@code FriendshipEndings}) once they return, after the commit.
 */
@ApplicationScoped
public class FriendService {

    private final UserProfileRepository profiles;
    private final FriendRequestRepository requests;
    private final FriendshipRepository friendships;
    private final UserBlockRepository blocks;
    private final FriendsConfig config;

    /** Friends told of one user's presence change; a user with more has the rest learn it by asking. */
    public static final int MAX_PRESENCE_AUDIENCE = 5_000;

    public FriendService(UserProfileRepository profiles, FriendRequestRepository requests,
            FriendshipRepository friendships, UserBlockRepository blocks, FriendsConfig config) {
        this.profiles = profiles;
        this.requests = requests;
        this.friendships = friendships;
        this.blocks = blocks;
        this.config = config;
    }

    /**
     * Asks {@code toUserId} to be friends. Repeating a pending request answers the same request;
     * asking someone who already asked you accepts their request and makes you friends. A user
     * who takes no requests, or who blocked the caller, refuses with one and the same answer.
     */
    @Transactional
    public FriendRequestView send(long callerId, long toUserId) {
        requireOther(callerId, toUserId, "send a friend request to");
        lockPair(callerId, toUserId);
        if (lockedFriendship(callerId, toUserId)) {
            throw new ProblemException(ProblemCode.ALREADY_FRIENDS, "already friends with " + toUserId);
        }
        if (blocks.blocked(callerId, toUserId)) {
            throw new ProblemException(ProblemCode.USER_BLOCKED, "you blocked user " + toUserId + ": unblock first");
        }
        long now = System.currentTimeMillis();
        FriendRequest theirs = lockedRequest(toUserId, callerId);
        if (theirs != null && theirs.status == FriendRequestStatus.PENDING) {
            // They asked: their own request stands whatever they accept from others.
            theirs.status = FriendRequestStatus.ACCEPTED;
            theirs.updatedAt = now;
            friendships.befriend(callerId, toUserId, now);
            return FriendRequestView.of(upsert(callerId, toUserId, FriendRequestStatus.ACCEPTED, now));
        }
        if (blocks.blocked(toUserId, callerId) || !profiles.findById(toUserId).acceptFriendRequests) {
            throw new ProblemException(ProblemCode.FRIEND_REQUESTS_REFUSED,
                    "user " + toUserId + " does not accept friend requests");
        }
        return FriendRequestView.of(upsert(callerId, toUserId, FriendRequestStatus.PENDING, now));
    }

    /**
     * Accepts a request addressed to the caller, pending or rejected before (the addressee changed
     * its mind); accepting twice answers the accepted request.
     */
    @Transactional
    public FriendRequestView accept(long callerId, long requestId) {
        FriendRequest request = lockedRequestTo(callerId, requestId);
        if (request.status == FriendRequestStatus.ACCEPTED) {
            return FriendRequestView.of(request);
        }
        long now = System.currentTimeMillis();
        request.status = FriendRequestStatus.ACCEPTED;
        request.updatedAt = now;
        if (!lockedFriendship(request.fromUserId, request.toUserId)) {
            friendships.befriend(request.fromUserId, request.toUserId, now);
        }
        FriendRequest reverse = lockedRequest(request.toUserId, request.fromUserId);
        if (reverse != null && reverse.status == FriendRequestStatus.PENDING) {
            reverse.status = FriendRequestStatus.ACCEPTED;
            reverse.updatedAt = now;
        }
        return FriendRequestView.of(request);
    }

    /**
     * Turns down a pending request addressed to the caller; rejecting twice answers the rejected
     * request. The asker is not told and may ask again.
     */
    @Transactional
    public FriendRequestView reject(long callerId, long requestId) {
        FriendRequest request = lockedRequestTo(callerId, requestId);
        if (request.status == FriendRequestStatus.ACCEPTED) {
            throw new ProblemException(ProblemCode.ALREADY_FRIENDS,
                    "friend request " + requestId + " was accepted: remove the friend instead");
        }
        if (request.status == FriendRequestStatus.PENDING) {
            request.status = FriendRequestStatus.REJECTED;
            request.updatedAt = System.currentTimeMillis();
        }
        return FriendRequestView.of(request);
    }

    /**
     * Ends the friendship for both sides, with both remarks and the pair's requests. Removing
     * someone who is not a friend changes nothing and is no error, so a repeated call (after the
     * routers could not be told) succeeds.
     */
    @Transactional
    public void remove(long callerId, long friendId) {
        requireOther(callerId, friendId, "remove");
        lockPair(callerId, friendId);
        endFriendship(callerId, friendId);
    }

    /**
     * Blocks {@code userId}: ends the friendship and every request between the two, and refuses
     * new ones while the block lasts. Blocking twice keeps the first block's time.
     */
    @Transactional
    public BlockedUserView block(long callerId, long userId) {
        requireOther(callerId, userId, "block");
        lockPair(callerId, userId);
        endFriendship(callerId, userId);
        UserBlock block = blocks.block(callerId, userId, System.currentTimeMillis());
        return BlockedUserView.of(profiles.findById(userId), block);
    }

    /** Lifts the caller's block of {@code userId} (none: no change). The friendship does not come back. */
    @Transactional
    public void unblock(long callerId, long userId) {
        requireOther(callerId, userId, "unblock");
        lockPair(callerId, userId);
        blocks.unblock(callerId, userId);
    }

    @Transactional
    public List<BlockedUserView> blockedBy(long callerId) {
        List<UserBlock> blocked = blocks.blockedBy(callerId, config.listLimit());
        Map<Long, UserProfile> byId = profilesById(blocked.stream().map(b -> b.blockedId).toList());
        return blocked.stream().filter(b -> byId.containsKey(b.blockedId))
                .map(b -> BlockedUserView.of(byId.get(b.blockedId), b)).toList();
    }

    /** Sets (or, with null or empty, clears) what the caller calls a friend; the friend never sees it. */
    @Transactional
    public FriendView setRemark(long callerId, long friendId, String remark) {
        String stored = FriendRules.remark(remark);
        if (!friendships.setRemark(callerId, friendId, stored)) {
            throw new ProblemException(ProblemCode.NOT_FRIENDS, "user " + friendId + " is not your friend");
        }
        UserProfile friend = profiles.findById(friendId);
        if (friend == null) {
            throw new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + friendId);
        }
        return FriendView.of(friend, stored);
    }

    @Transactional
    public FriendSettings settings(long callerId) {
        UserProfile profile = callerProfile(callerId);
        return new FriendSettings(profile.acceptFriendRequests, profile.showPresence);
    }

    @Transactional
    public FriendSettings changeSettings(long callerId, FriendSettings change) {
        if (change == null || change.acceptFriendRequests() == null && change.showPresence() == null) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT,
                    "acceptFriendRequests or showPresence (true or false) is required");
        }
        UserProfile profile = callerProfile(callerId);
        if (change.acceptFriendRequests() != null) {
            profile.acceptFriendRequests = change.acceptFriendRequests();
        }
        if (change.showPresence() != null) {
            profile.showPresence = change.showPresence();
        }
        return new FriendSettings(profile.acceptFriendRequests, profile.showPresence);
    }

    /**
     * The user came online or went offline at {@code atMs}: going offline is when it was last
     * seen. Answers who may hear of it: its friends (at most {@link #MAX_PRESENCE_AUDIENCE}), none
     * when the user hides its presence or does not exist.
     */
    @Transactional
    public List<Long> recordPresence(long userId, boolean online, long atMs) {
        UserProfile profile = profiles.findById(userId);
        if (profile == null) {
            return List.of();
        }
        if (!online && atMs > profile.lastSeenAt) {
            profile.lastSeenAt = atMs;
        }
        return profile.showPresence
                ? friendships.friendsOf(userId, MAX_PRESENCE_AUDIENCE).stream().map(f -> f.friendId).toList()
                : List.of();
    }

    /** Of {@code userIds}, the friends of the viewer that show their presence, with when each was last seen. */
    @Transactional
    public Map<Long, Long> visiblePresence(long viewerId, Collection<Long> userIds) {
        Map<Long, Long> lastSeen = new TreeMap<>();
        for (UserProfile profile : profilesById(userIds.stream().distinct().toList()).values()) {
            if (profile.showPresence && friendships.areFriends(viewerId, profile.userId)) {
                lastSeen.put(profile.userId, profile.lastSeenAt);
            }
        }
        return lastSeen;
    }

    @Transactional
    public List<PendingRequestView> pendingTo(long callerId) {
        List<FriendRequest> pending = requests.pendingTo(callerId, config.listLimit());
        Map<Long, UserProfile> senders = profilesById(pending.stream().map(r -> r.fromUserId).toList());
        return pending.stream()
                .filter(r -> senders.containsKey(r.fromUserId))
                .map(r -> new PendingRequestView(r.id, r.fromUserId, senders.get(r.fromUserId).username,
                        r.toUserId, r.status))
                .toList();
    }

    @Transactional
    public List<FriendView> friendsOf(long callerId) {
        List<Friendship> mine = friendships.friendsOf(callerId, config.listLimit());
        Map<Long, UserProfile> byId = profilesById(mine.stream().map(f -> f.friendId).toList());
        return mine.stream().filter(f -> byId.containsKey(f.friendId))
                .map(f -> FriendView.of(byId.get(f.friendId), f.remark)).toList();
    }

    /** Whether {@code a} and {@code b} are friends (a plain read; no lock). */
    @Transactional
    public boolean areFriends(long a, long b) {
        return friendships.areFriends(a, b);
    }

    private static void requireOther(long callerId, long userId, String action) {
        if (callerId == userId) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "cannot " + action + " yourself");
        }
    }

    private void endFriendship(long a, long b) {
        friendships.end(a, b);
        requests.deleteBetween(a, b);
    }

    private void lockPair(long a, long b) {
        long low = Math.min(a, b);
        long high = Math.max(a, b);
        for (long id : new long[] {low, high}) {
            if (!profiles.lock(id)) {
                throw new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + id);
            }
        }
    }

    /**
     * The request, addressed to the caller, read again under its pair's locks: its status may
     * have changed, or a removal or block may have deleted it, before the locks were ours.
     */
    private FriendRequest lockedRequestTo(long callerId, long requestId) {
        FriendRequest request = requests.findById(requestId);
        if (request == null || request.toUserId != callerId) {
            throw unknownRequest(requestId);
        }
        lockPair(request.fromUserId, request.toUserId);
        requests.getEntityManager().detach(request);
        FriendRequest current = requests.findById(requestId);
        if (current == null) {
            throw unknownRequest(requestId);
        }
        return current;
    }

    private static ProblemException unknownRequest(long requestId) {
        return new ProblemException(ProblemCode.UNKNOWN_FRIEND_REQUEST, "no friend request " + requestId + " to you");
    }

    private UserProfile callerProfile(long callerId) {
        UserProfile profile = profiles.findById(callerId);
        if (profile == null) {
            throw new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + callerId);
        }
        return profile;
    }

    private boolean lockedFriendship(long a, long b) {
        return friendships.areFriends(a, b);
    }

    private FriendRequest lockedRequest(long from, long to) {
        return requests.findPair(from, to).orElse(null);
    }

    private FriendRequest upsert(long from, long to, FriendRequestStatus status, long now) {
        FriendRequest request = lockedRequest(from, to);
        if (request == null) {
            request = new FriendRequest();
            request.fromUserId = from;
            request.toUserId = to;
            request.createdAt = now;
            request.status = status;
            request.updatedAt = now;
            requests.persist(request);
            requests.flush();
        } else if (request.status != status) {
            request.status = status;
            request.updatedAt = now;
        }
        return request;
    }

    private Map<Long, UserProfile> profilesById(List<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return profiles.list("userId in ?1", ids).stream()
                .collect(Collectors.toMap(p -> p.userId, Function.identity()));
    }
}
