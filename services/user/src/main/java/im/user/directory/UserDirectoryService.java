package im.user.directory;

import im.common.grpc.GrpcErrors;
import im.common.profile.DisplayNames;
import im.common.profile.Usernames;
import im.protocol.client.BlobIds;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CheckSendResponse;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.CreateProfileResponse;
import im.protocol.user.GetUserRequest;
import im.protocol.user.GetUserResponse;
import im.protocol.user.PresenceAudience;
import im.protocol.user.RecordPresenceRequest;
import im.protocol.user.SeenUser;
import im.protocol.user.SetAvatarRequest;
import im.protocol.user.User;
import im.protocol.user.UserDirectory;
import im.protocol.user.VisiblePresenceRequest;
import im.protocol.user.VisiblePresenceResponse;
import im.user.friend.FriendService;
import im.user.profile.CreateProfile;
import im.user.profile.Profiles;
import im.user.profile.UserProfile;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** gRPC {@code UserDirectory}: every method reads the database, so all run on worker threads. */
@GrpcService
public class UserDirectoryService implements UserDirectory {

    private final Profiles profiles;
    private final FriendService friends;

    /** The router's blob ids ({@code im.router.media.BlobIds}), as far as a column may hold them. */

    /** Most users one presence question names (the client's GetPresence bound). */
    public static final int MAX_PRESENCE_QUERY = 100;

    public UserDirectoryService(Profiles profiles, FriendService friends) {
        this.profiles = profiles;
        this.friends = friends;
    }

    @Override
    @Blocking
    public Uni<CreateProfileResponse> createProfile(CreateProfileRequest request) {
        return Uni.createFrom().item(() -> {
            CreateProfile create = validated(request);
            Profiles.Created created = profiles.create(create);
            if (created.outcome() == Profiles.Outcome.CONFLICT) {
                throw alreadyExists("username " + create.username() + " or user id " + create.userId()
                        + " is held by another profile");
            }
            return CreateProfileResponse.newBuilder().setUser(toProto(created.profile())).build();
        });
    }

    @Override
    @Blocking
    public Uni<GetUserResponse> getUser(GetUserRequest request) {
        return Uni.createFrom().item(() -> profiles.find(request.getUserId())
                .map(p -> GetUserResponse.newBuilder().setUser(toProto(p)).build())
                .orElseThrow(() -> GrpcErrors.error(ErrorCode.UNKNOWN_USER, "no user " + request.getUserId())));
    }

    @Override
    @Blocking
    public Uni<CheckSendResponse> checkSend(CheckSendRequest request) {
        return Uni.createFrom().item(() -> {
            CheckSendResponse.Decision decision;
            if (profiles.find(request.getReceiverId()).isEmpty()) {
                decision = CheckSendResponse.Decision.UNKNOWN_USER;
            } else if (friends.areFriends(request.getSenderId(), request.getReceiverId())) {
                decision = CheckSendResponse.Decision.ALLOWED;
            } else {
                decision = CheckSendResponse.Decision.NOT_FRIENDS;
            }
            return CheckSendResponse.newBuilder().setDecision(decision).build();
        });
    }

    @Override
    @Blocking
    public Uni<PresenceAudience> recordPresence(RecordPresenceRequest request) {
        return Uni.createFrom().item(() -> PresenceAudience.newBuilder()
                .addAllUserIds(friends.recordPresence(request.getUserId(), request.getOnline(), request.getAtMs()))
                .build());
    }

    @Override
    @Blocking
    public Uni<VisiblePresenceResponse> visiblePresence(VisiblePresenceRequest request) {
        if (request.getUserIdsCount() > MAX_PRESENCE_QUERY) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "at most " + MAX_PRESENCE_QUERY + " user ids");
        }
        return Uni.createFrom().item(() -> {
            VisiblePresenceResponse.Builder answer = VisiblePresenceResponse.newBuilder();
            friends.visiblePresence(request.getViewerId(), request.getUserIdsList()).forEach((user, lastSeen) ->
                    answer.addVisible(SeenUser.newBuilder().setUserId(user).setLastSeenMs(lastSeen)));
            return answer.build();
        });
    }

    @Override
    @Blocking
    public Uni<GetUserResponse> setAvatar(SetAvatarRequest request) {
        if (!BlobIds.isWellFormed(request.getBlobId())
                || !(request.getThumbnailBlobId().isEmpty() || BlobIds.isWellFormed(request.getThumbnailBlobId()))) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "blob ids are " + BlobIds.RULE);
        }
        String thumbnail = request.getThumbnailBlobId().isEmpty() ? null : request.getThumbnailBlobId();
        return Uni.createFrom().item(() -> profiles.changeAvatar(request.getUserId(), request.getBlobId(), thumbnail)
                .map(p -> GetUserResponse.newBuilder().setUser(toProto(p)).build())
                .orElseThrow(() -> GrpcErrors.error(ErrorCode.UNKNOWN_USER, "no user " + request.getUserId())));
    }

    private static CreateProfile validated(CreateProfileRequest request) {
        if (request.getUserId() <= 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "user_id must be positive");
        }
        if (!Usernames.isValid(request.getUsername())) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "username must be " + Usernames.RULE);
        }
        String displayName = request.getDisplayName().isEmpty() ? request.getUsername() : request.getDisplayName();
        String fault = DisplayNames.fault(displayName);
        if (fault != null) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, fault);
        }
        return new CreateProfile(request.getUserId(), request.getUsername(), displayName);
    }

    /**
     * ALREADY_EXISTS has no client error code of its own (GrpcErrors cannot build it); the trailer
     * carries INVALID_ARGUMENT, the nearest code a device could be shown.
     */
    private static StatusRuntimeException alreadyExists(String message) {
        Metadata trailers = new Metadata();
        trailers.put(GrpcErrors.ERROR_CODE, Integer.toString(ErrorCode.INVALID_ARGUMENT.getNumber()));
        return Status.ALREADY_EXISTS.withDescription(message).asRuntimeException(trailers);
    }

    private static User toProto(UserProfile profile) {
        User.Builder user = User.newBuilder()
                .setUserId(profile.userId)
                .setUsername(profile.username)
                .setDisplayName(profile.displayName);
        if (profile.avatarBlobId != null) {
            user.setAvatarBlobId(profile.avatarBlobId);
        }
        if (profile.avatarThumbnailBlobId != null) {
            user.setAvatarThumbnailBlobId(profile.avatarThumbnailBlobId);
        }
        return user.build();
    }
}
