package im.user.friend;

import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import im.user.profile.UserProfile;
import im.user.profile.UserProfileRepository;
import im.user.profile.UserView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Friend requests and friendships. Every change to a pair runs under row locks on both users'
 * profiles, taken lower id first, so concurrent requests, cross requests and acceptances of the
 * same pair happen one after the other and a friendship is written exactly once, both rows in
 * the same transaction. Reads after the locks see the latest rows because the service runs at
 * READ COMMITTED (see application.properties); "locked" helpers below rely on that.
 */
@ApplicationScoped
public class FriendService {

    private final UserProfileRepository profiles;
    private final FriendRequestRepository requests;
    private final FriendshipRepository friendships;
    private final FriendsConfig config;

    public FriendService(UserProfileRepository profiles, FriendRequestRepository requests,
            FriendshipRepository friendships, FriendsConfig config) {
        this.profiles = profiles;
        this.requests = requests;
        this.friendships = friendships;
        this.config = config;
    }

    /**
     * Asks {@code toUserId} to be friends. Repeating a pending request answers the same request;
     * asking someone who already asked you accepts their request and makes you friends.
     */
    @Transactional
    public FriendRequestView send(long callerId, long toUserId) {
        if (callerId == toUserId) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "cannot send a friend request to yourself");
        }
        lockPair(callerId, toUserId);
        if (lockedFriendship(callerId, toUserId)) {
            throw new ProblemException(ProblemCode.ALREADY_FRIENDS, "already friends with " + toUserId);
        }
        long now = System.currentTimeMillis();
        FriendRequest theirs = lockedRequest(toUserId, callerId);
        if (theirs != null && theirs.status == FriendRequestStatus.PENDING) {
            theirs.status = FriendRequestStatus.ACCEPTED;
            theirs.updatedAt = now;
            friendships.befriend(callerId, toUserId, now);
            return FriendRequestView.of(upsert(callerId, toUserId, FriendRequestStatus.ACCEPTED, now));
        }
        return FriendRequestView.of(upsert(callerId, toUserId, FriendRequestStatus.PENDING, now));
    }

    /** Accepts a request addressed to the caller; accepting twice answers the accepted request. */
    @Transactional
    public FriendRequestView accept(long callerId, long requestId) {
        FriendRequest request = requests.findById(requestId);
        if (request == null || request.toUserId != callerId) {
            throw new ProblemException(ProblemCode.UNKNOWN_FRIEND_REQUEST, "no friend request " + requestId + " to you");
        }
        lockPair(request.fromUserId, request.toUserId);
        // The pair never changes, but the status may have changed before the locks were ours.
        requests.getEntityManager().refresh(request);
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
    public List<UserView> friendsOf(long callerId) {
        List<Long> ids = friendships.friendIdsOf(callerId, config.listLimit());
        Map<Long, UserProfile> byId = profilesById(ids);
        return ids.stream().filter(byId::containsKey).map(id -> UserView.of(byId.get(id))).toList();
    }

    /** Whether {@code a} and {@code b} are friends (a plain read; no lock). */
    @Transactional
    public boolean areFriends(long a, long b) {
        return friendships.areFriends(a, b);
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
