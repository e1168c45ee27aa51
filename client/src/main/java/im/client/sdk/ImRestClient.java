package im.client.sdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import im.protocol.client.MediaSpaces;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * The REST API of auth, user and the routers (docs/architecture.md) over {@code java.net.http}:
 * accounts, users, friends, groups and attachments. Blocking; safe to share between threads. A non-2xx answer throws
 * {@link ImApiException} with the problem body's status, code and detail; a transport failure throws
 * {@link UncheckedIOException}.
 */
public final class ImRestClient {

    /**
     * Answers here are a user, a list of friends or groups, a page of at most 500 members or the
     * at most 1,000 requests to join a group; 4 MiB is far beyond any legitimate one.
     */
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // A role or join policy added on the server after this client was built reads as null.
            .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true);

    private final URI authUrl;
    private final URI usersUrl;
    private final URI mediaUrl;
    private final HttpClient http;
    private final Duration requestTimeout;

    /** One server answers every path (the standalone app, or a cluster behind its ingress). */
    public ImRestClient(URI baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    public ImRestClient(URI baseUrl, Duration requestTimeout) {
        this(baseUrl, baseUrl, requestTimeout);
    }

    /**
     * Accounts and tokens ({@code /auth/...}) from {@code authUrl}, users, friends and groups from
     * {@code usersUrl}: the two services of a cluster reached without an ingress in front.
     */
    public ImRestClient(URI authUrl, URI usersUrl, Duration requestTimeout) {
        this(authUrl, usersUrl, requestTimeout, ServerTrust.systemDefault());
    }

    /**
     * As above, with {@code https://} servers believed as {@code trust} says: a CA of your own or
     * a pinned certificate ({@link ServerTrust}). A server that does not match fails each call
     * with an {@link javax.net.ssl.SSLHandshakeException} naming why.
     */
    public ImRestClient(URI authUrl, URI usersUrl, Duration requestTimeout, ServerTrust trust) {
        this(authUrl, usersUrl, usersUrl, requestTimeout, trust);
    }

    /**
     * As above, with attachments ({@code /media/...}, served by the routers) from {@code mediaUrl}:
     * a router's own HTTP port in a cluster reached without an ingress.
     */
    public ImRestClient(URI authUrl, URI usersUrl, URI mediaUrl, Duration requestTimeout, ServerTrust trust) {
        this.authUrl = directory(Objects.requireNonNull(authUrl, "authUrl"));
        this.usersUrl = directory(Objects.requireNonNull(usersUrl, "usersUrl"));
        this.mediaUrl = directory(Objects.requireNonNull(mediaUrl, "mediaUrl"));
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(Objects.requireNonNull(trust, "trust").sslContext()).build();
    }

    private static URI directory(URI url) {
        String base = url.toString();
        return URI.create(base.endsWith("/") ? base : base + "/");
    }

    private record RegisterBody(String username, String password, String displayName) {
    }

    private record LoginBody(String username, String password) {
    }

    private record RefreshBody(String refreshToken) {
    }

    private record FriendRequestBody(String toUsername) {
    }

    private record RemarkBody(String remark) {
    }

    private record ProfileBody(String displayName) {
    }

    private record FriendSettingsBody(boolean acceptFriendRequests) {
    }

    private record PresenceSettingBody(boolean showPresence) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record CreateGroupBody(String name, List<Long> memberIds, JoinPolicy joinPolicy) {
    }

    private record UserIdsBody(List<Long> userIds) {
    }

    private record RoleBody(GroupRole role) {
    }

    private record MutedBody(boolean muted) {
    }

    private record OwnerBody(long userId) {
    }

    private record NameBody(String name) {
    }

    public RegisteredUser register(String username, String password, String displayName) {
        return call(post("auth/register", null, new RegisterBody(username, password, displayName)),
                new TypeReference<>() { });
    }

    public Tokens login(String username, String password) {
        return call(post("auth/login", null, new LoginBody(username, password)), new TypeReference<>() { });
    }

    /** Trades a refresh token for new tokens; the old refresh token is spent. */
    public Tokens refresh(String refreshToken) {
        return call(post("auth/refresh", null, new RefreshBody(refreshToken)), new TypeReference<>() { });
    }

    /**
     * Ends the login the refresh token belongs to: its refresh tokens, and its access tokens
     * everywhere (its connections close with SESSION_REVOKED).
     */
    public void logout(String refreshToken) {
        call(post("auth/logout", null, new RefreshBody(refreshToken)), null);
    }

    /** Ends every login of the token's user, this one included, on every device. */
    public void logoutAll(String accessToken) {
        call(post("auth/logout-all", accessToken, null), null);
    }

    private record LoginIdBody(String loginId) {
    }

    private record LinkBody(String loginId, String username, String password) {
    }

    /** A poll's answer: the fields of login's answer when done, {@code status} otherwise. */
    private record PollBody(String status, String username, long userId, String accessToken, String refreshToken,
            long expiresIn) {
    }

    /** Starts a login through an outside provider ({@code gitee}); 404 when the server has none of that name. */
    public OidcLogin startOidcLogin(String provider) {
        return call(post("auth/oidc/" + URLEncoder.encode(provider, StandardCharsets.UTF_8) + "/start", null, null),
                new TypeReference<>() { });
    }

    /** Asks whether the login is done; poll every few seconds until it is, or until it throws. */
    public OidcLoginPoll pollOidcLogin(String loginId) {
        PollBody body = call(post("auth/oidc/poll", null, new LoginIdBody(loginId)), new TypeReference<>() { });
        if (body.accessToken() != null) {
            return new OidcLoginPoll(new Tokens(body.userId(), body.username(), body.accessToken(),
                    body.refreshToken(), body.expiresIn()), "DONE", null);
        }
        return new OidcLoginPoll(null, body.status(), body.username());
    }

    /** Links the login's outside identity to the existing account {@code username}, proven by its password. */
    public Tokens linkOidcLogin(String loginId, String username, String password) {
        return call(post("auth/oidc/link", null, new LinkBody(loginId, username, password)), new TypeReference<>() { });
    }

    public UserView me(String accessToken) {
        return call(get("users/me", accessToken), new TypeReference<>() { });
    }

    public UserView userByName(String accessToken, String username) {
        return call(get("users?username=" + URLEncoder.encode(username, StandardCharsets.UTF_8), accessToken),
                new TypeReference<>() { });
    }

    public UserView user(String accessToken, long userId) {
        return call(get("users/" + userId, accessToken), new TypeReference<>() { });
    }

    /**
     * Changes the caller's display name, and answers the caller as others now see it. The server
     * strips surrounding white space and refuses (400 {@code INVALID_ARGUMENT}) a name that is then
     * empty, longer than 64 characters, or holds control or format characters.
     */
    public UserView updateDisplayName(String accessToken, String displayName) {
        Objects.requireNonNull(displayName, "displayName");
        return call(put("users/me/profile", accessToken, new ProfileBody(displayName)), new TypeReference<>() { });
    }

    /** Asks {@code username} to be friends; ACCEPTED at once when they had already asked. */
    public FriendRequest requestFriend(String accessToken, String username) {
        return call(post("friends/requests", accessToken, new FriendRequestBody(username)),
                new TypeReference<>() { });
    }

    /** Requests addressed to the caller and still pending, with the asker's username. */
    public List<FriendRequest> pendingFriendRequests(String accessToken) {
        return call(get("friends/requests", accessToken), new TypeReference<>() { });
    }

    public FriendRequest acceptFriendRequest(String accessToken, long requestId) {
        return call(post("friends/requests/" + requestId + "/accept", accessToken, null),
                new TypeReference<>() { });
    }

    /** The caller's friends, each with the caller's remark for it (null for none). */
    public List<FriendView> friends(String accessToken) {
        return call(get("friends", accessToken), new TypeReference<>() { });
    }

    /**
     * Turns down a request addressed to the caller (REJECTED). The asker is not told and may ask
     * again; blocking is what stops that.
     */
    public FriendRequest rejectFriendRequest(String accessToken, long requestId) {
        return call(post("friends/requests/" + requestId + "/reject", accessToken, null),
                new TypeReference<>() { });
    }

    /**
     * Ends the friendship with {@code userId} for both sides (the remarks go with it); neither may
     * send the other a private message from now on. No error when they were not friends. A 503
     * ({@code UNAVAILABLE}) means done, but not yet enforced everywhere: call again.
     */
    public void removeFriend(String accessToken, long userId) {
        call(delete("friends/" + userId, accessToken), null);
    }

    /**
     * Blocks {@code userId}: ends the friendship and any request between the two; its requests are
     * refused as if the caller took none, its messages as a stranger's. A 503 as for
     * {@link #removeFriend}.
     */
    public BlockedUser blockUser(String accessToken, long userId) {
        return call(put("friends/blocks/" + userId, accessToken, null), new TypeReference<>() { });
    }

    /** Lifts the block (none: no change); the friendship it ended does not come back. */
    public void unblockUser(String accessToken, long userId) {
        call(delete("friends/blocks/" + userId, accessToken), null);
    }

    /** Whom the caller blocked, by user id. */
    public List<BlockedUser> blockedUsers(String accessToken) {
        return call(get("friends/blocks", accessToken), new TypeReference<>() { });
    }

    /**
     * Sets what the caller calls a friend (up to 64 characters), shown in its friend list only;
     * null or empty clears it. 404 {@code NOT_FRIENDS} for a user who is not a friend.
     */
    public FriendView setFriendRemark(String accessToken, long friendId, String remark) {
        return call(put("friends/" + friendId + "/remark", accessToken, new RemarkBody(remark)),
                new TypeReference<>() { });
    }

    /** Whether the caller takes friend requests (true unless turned off). */
    public boolean acceptsFriendRequests(String accessToken) {
        return call(get("friends/settings", accessToken), new TypeReference<FriendSettingsBody>() { })
                .acceptFriendRequests();
    }

    /** Turns new friend requests to the caller on or off; off, each is refused (403 FRIEND_REQUESTS_REFUSED). */
    public boolean setAcceptFriendRequests(String accessToken, boolean accept) {
        return call(put("friends/settings", accessToken, new FriendSettingsBody(accept)),
                new TypeReference<FriendSettingsBody>() { }).acceptFriendRequests();
    }

    /** Whether the caller's friends may see it online and when it was last seen (true unless turned off). */
    public boolean showsPresence(String accessToken) {
        return call(get("friends/settings", accessToken), new TypeReference<PresenceSettingBody>() { }).showPresence();
    }

    /** Shows the caller's presence to its friends, or hides it from everyone. */
    public boolean setShowPresence(String accessToken, boolean show) {
        return call(put("friends/settings", accessToken, new PresenceSettingBody(show)),
                new TypeReference<PresenceSettingBody>() { }).showPresence();
    }

    /**
     * Users whose username starts with {@code prefix} (at least 2 characters), in username order,
     * at most {@code limit} (the server cuts it to 50).
     */
    public List<UserView> searchUsers(String accessToken, String prefix, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return call(get("users/search?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8) + "&limit=" + limit,
                accessToken), new TypeReference<>() { });
    }

    // ---- groups ------------------------------------------------------------------------------
    // A group the caller is not in answers 404 as one that does not exist; a change the caller's
    // role does not allow answers 403. Every change answers the seq of its system message.

    /**
     * Makes a group with the caller as its owner and {@code memberIds} (may be empty) as its first
     * members. {@code joinPolicy} null (or unspecified) leaves the server's default, ADMINS_INVITE;
     * APPROVAL: whoever knows the group's id asks to join, the owner or an admin approves.
     */
    public GroupView createGroup(String accessToken, String name, List<Long> memberIds, JoinPolicy joinPolicy) {
        Objects.requireNonNull(name, "name");
        JoinPolicy policy = joinPolicy == JoinPolicy.JOIN_POLICY_UNSPECIFIED ? null : joinPolicy;
        if (policy == JoinPolicy.UNRECOGNIZED) {
            throw new IllegalArgumentException("joinPolicy must be ADMINS_INVITE, MEMBERS_INVITE, OPEN or APPROVAL");
        }
        return call(post("groups", accessToken, new CreateGroupBody(name,
                memberIds == null ? List.of() : List.copyOf(memberIds), policy)), new TypeReference<>() { });
    }

    /** The groups the caller is a member of. */
    public List<GroupView> groups(String accessToken) {
        return call(get("groups", accessToken), new TypeReference<>() { });
    }

    public GroupView group(String accessToken, long groupId) {
        return call(get(groupPath(groupId), accessToken), new TypeReference<>() { });
    }

    /**
     * The group's members with a user id above {@code afterUserId} (0: from the first), at most
     * {@code limit} (1..500).
     */
    public GroupMemberPage groupMembers(String accessToken, long groupId, long afterUserId, int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be 1..500");
        }
        return call(get(groupPath(groupId) + "/members?after=" + Math.max(0, afterUserId) + "&limit=" + limit,
                accessToken), new TypeReference<>() { });
    }

    /** Adds users (owner and admins; any member when the policy is MEMBERS_INVITE); members already in stay. */
    public GroupChange addGroupMembers(String accessToken, long groupId, List<Long> userIds) {
        return call(post(groupPath(groupId) + "/members", accessToken, new UserIdsBody(List.copyOf(userIds))),
                new TypeReference<>() { });
    }

    /** Removes a member (owner: anyone else; admin: members only). */
    public GroupChange removeGroupMember(String accessToken, long groupId, long userId) {
        return call(delete(groupPath(groupId) + "/members/" + userId, accessToken), new TypeReference<>() { });
    }

    /**
     * The caller joins an OPEN group, or asks to join an APPROVAL group: then the answer is
     * {@link GroupChange#pending()} (seq 0) until the owner or an admin approves.
     */
    public GroupChange joinGroup(String accessToken, long groupId) {
        return call(post(groupPath(groupId) + "/join", accessToken, null), new TypeReference<>() { });
    }

    /** Owner and admins: who asks to join the group, oldest first. */
    public List<GroupJoinRequest> joinRequests(String accessToken, long groupId) {
        return call(get(groupPath(groupId) + "/requests", accessToken), new TypeReference<>() { });
    }

    /** Owner and admins: the user joins, if it asked to (seq 0 when it had not). */
    public GroupChange approveJoin(String accessToken, long groupId, long userId) {
        return call(post(groupPath(groupId) + "/requests/" + userId + "/approve", accessToken, null),
                new TypeReference<>() { });
    }

    /** Owner and admins: the user's request to join is dropped; nothing enters the timeline (seq 0). */
    public GroupChange rejectJoin(String accessToken, long groupId, long userId) {
        return call(delete(groupPath(groupId) + "/requests/" + userId, accessToken), new TypeReference<>() { });
    }

    /** The caller leaves (an owner transfers ownership first). */
    public GroupChange leaveGroup(String accessToken, long groupId) {
        return call(post(groupPath(groupId) + "/leave", accessToken, null), new TypeReference<>() { });
    }

    /** Owner only: makes a member an ADMIN, or an admin a MEMBER again. */
    public GroupChange setGroupRole(String accessToken, long groupId, long userId, GroupRole role) {
        if (role != GroupRole.ADMIN && role != GroupRole.MEMBER) {
            throw new IllegalArgumentException("role must be ADMIN or MEMBER, not " + role);
        }
        return call(put(groupPath(groupId) + "/members/" + userId + "/role", accessToken, new RoleBody(role)),
                new TypeReference<>() { });
    }

    /** Owner and admins (admins: members only): the member may not send while muted. */
    public GroupChange setGroupMemberMuted(String accessToken, long groupId, long userId, boolean muted) {
        return call(put(groupPath(groupId) + "/members/" + userId + "/muted", accessToken, new MutedBody(muted)),
                new TypeReference<>() { });
    }

    /** Owner and admins: while the group is muted only they may send. */
    public GroupChange setGroupMuted(String accessToken, long groupId, boolean muted) {
        return call(put(groupPath(groupId) + "/muted", accessToken, new MutedBody(muted)), new TypeReference<>() { });
    }

    /** Owner only: another member becomes the owner; the caller becomes an admin. */
    public GroupChange transferGroupOwnership(String accessToken, long groupId, long newOwnerId) {
        return call(put(groupPath(groupId) + "/owner", accessToken, new OwnerBody(newOwnerId)),
                new TypeReference<>() { });
    }

    /** Owner and admins. */
    public GroupChange renameGroup(String accessToken, long groupId, String name) {
        Objects.requireNonNull(name, "name");
        return call(put(groupPath(groupId) + "/name", accessToken, new NameBody(name)), new TypeReference<>() { });
    }

    /** Owner only: nobody sends any more; the members keep reading what was said. */
    public GroupChange dissolveGroup(String accessToken, long groupId) {
        return call(delete(groupPath(groupId), accessToken), new TypeReference<>() { });
    }

    private static String groupPath(long groupId) {
        return "groups/" + groupId;
    }

    // ---- attachments ---------------------------------------------------------------------------

    /**
     * Uploads {@code file} as an attachment of the conversation (the caller must be a member), its
     * name the file's, {@code mimeType} its type (one the server takes: images, PDF, text, zip,
     * octet-stream). Answers the blob, which a message then names ({@link UploadedBlob#toContent()}).
     * The server refuses with 413 {@code TOO_LARGE} past its limit (20 MiB), 415
     * {@code UNSUPPORTED_TYPE}, 400 {@code IMAGE_TOO_LARGE} or {@code INVALID_IMAGE}, 404
     * {@code UNKNOWN_CONVERSATION}.
     */
    public UploadedBlob upload(String accessToken, String conversationId, Path file, String mimeType) {
        HttpRequest.BodyPublisher body = fileBody(file);
        Path fileName = file.getFileName();
        String path = mediaPath(conversationId)
                + (fileName == null ? "" : "?name=" + URLEncoder.encode(fileName.toString(), StandardCharsets.UTF_8));
        HttpRequest request = request(path, accessToken)
                .timeout(transferTimeout())
                .header("Content-Type", Objects.requireNonNull(mimeType, "mimeType"))
                .POST(body)
                .build();
        return call(request, new TypeReference<>() { });
    }

    /**
     * Downloads a blob of the conversation (an attachment's or a thumbnail's id), or of another
     * space ({@link #downloadAvatar}), into {@code target},
     * replacing it; the file appears only once complete. 404 {@code UNKNOWN_BLOB} alike for an
     * unknown id and a conversation the caller may not read.
     */
    public DownloadedBlob download(String accessToken, String space, String blobId, Path target) {
        HttpRequest request = request(mediaPath(space) + "/" + URLEncoder.encode(blobId, StandardCharsets.UTF_8),
                accessToken).timeout(transferTimeout()).GET().build();
        HttpResponse<InputStream> response = send(request);
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                throw problem(status, response.headers().firstValue("Retry-After").orElse(null),
                        in.readNBytes(MAX_RESPONSE_BYTES));
            }
            Path absolute = target.toAbsolutePath();
            Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            try {
                long size = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new DownloadedBlob(absolute,
                        response.headers().firstValue("Content-Type").orElse("application/octet-stream"), size);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + request.uri() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code image} (a PNG, JPEG or GIF, {@code mimeType} its type) the caller's avatar, in
     * place of any earlier one. The server refuses with 415 {@code UNSUPPORTED_TYPE} for other
     * types, 413 {@code TOO_LARGE} past its limit (5 MiB), 400 {@code INVALID_IMAGE} or
     * {@code IMAGE_TOO_LARGE}. Anyone signed in then reads it with {@link #downloadAvatar}.
     */
    public Avatar setAvatar(String accessToken, Path image, String mimeType) {
        HttpRequest request = request("media/avatar", accessToken)
                .timeout(transferTimeout())
                .header("Content-Type", Objects.requireNonNull(mimeType, "mimeType"))
                .PUT(fileBody(image))
                .build();
        return call(request, new TypeReference<>() { });
    }

    /** Removes the caller's avatar; answers the caller as others now see it. */
    public UserView removeAvatar(String accessToken) {
        return call(delete("users/me/avatar", accessToken), new TypeReference<>() { });
    }

    /**
     * Downloads a user's avatar, or its thumbnail, into {@code target} ({@link UserView#avatarBlobId()},
     * {@link UserView#avatarThumbnailBlobId()}); 404 {@code UNKNOWN_BLOB} when it is not that user's.
     */
    public DownloadedBlob downloadAvatar(String accessToken, long userId, String blobId, Path target) {
        return download(accessToken, MediaSpaces.avatarOf(userId), blobId, target);
    }

    /** A file as a request body, read as it is sent. */
    private static HttpRequest.BodyPublisher fileBody(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mediaPath(String space) {
        return "media/" + URLEncoder.encode(Objects.requireNonNull(space, "space"), StandardCharsets.UTF_8);
    }

    /** Up to 20 MiB each way: longer than a JSON call may take, on a slow link. */
    private Duration transferTimeout() {
        Duration transfer = Duration.ofMinutes(5);
        return requestTimeout.compareTo(transfer) > 0 ? requestTimeout : transfer;
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private HttpRequest.Builder request(String path, String accessToken) {
        URI server = path.startsWith("auth/") ? authUrl : path.startsWith("media/") ? mediaUrl : usersUrl;
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .timeout(requestTimeout)
                .header("Accept", "application/json, application/problem+json");
        if (accessToken != null) {
            b.header("Authorization", "Bearer " + accessToken);
        }
        return b;
    }

    private HttpRequest get(String path, String accessToken) {
        return request(path, accessToken).GET().build();
    }

    private HttpRequest post(String path, String accessToken, Object body) {
        return withBody("POST", path, accessToken, body);
    }

    private HttpRequest put(String path, String accessToken, Object body) {
        return withBody("PUT", path, accessToken, body);
    }

    private HttpRequest delete(String path, String accessToken) {
        return request(path, accessToken).DELETE().build();
    }

    private HttpRequest withBody(String method, String path, String accessToken, Object body) {
        try {
            byte[] json = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            return request(path, accessToken)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the request; decodes a 2xx body as {@code type} (nothing when type is null). */
    private <T> T call(HttpRequest request, TypeReference<T> type) {
        HttpResponse<InputStream> response = send(request);
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        } catch (IOException e) {
            throw unreachable(request, e);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new UncheckedIOException(new IOException("answer of " + request.uri() + " exceeds "
                    + MAX_RESPONSE_BYTES + " bytes"));
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw problem(status, response.headers().firstValue("Retry-After").orElse(null), body);
        }
        if (type == null) {
            return null;
        }
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from " + request.uri(), e);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted: " + request.uri()));
        } catch (IOException e) {
            throw unreachable(request, e);
        }
    }

    private static UncheckedIOException unreachable(HttpRequest request, IOException e) {
        URI target = request.uri();
        return new UncheckedIOException("cannot reach " + target.getScheme() + "://" + target.getRawAuthority()
                + "/ (" + request.method() + " " + target + "): "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    /** The problem+json body as an exception; tolerant of bodies that are not problem+json. */
    static ImApiException problem(int status, byte[] body) {
        return problem(status, null, body);
    }

    /** The same with the answer's {@code Retry-After} header (null when it had none). */
    static ImApiException problem(int status, String retryAfter, byte[] body) {
        String code = null;
        String detail = null;
        try {
            JsonNode node = body.length == 0 ? null : JSON.readTree(body);
            if (node != null && node.isObject()) {
                code = text(node, "code");
                detail = text(node, "detail");
                if (detail == null) {
                    detail = text(node, "title");
                }
            }
        } catch (IOException notJson) {
            detail = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
        return new ImApiException(status, code, detail, retryAfterSeconds(retryAfter));
    }

    /**
     * {@code Retry-After} in seconds: delta-seconds, or an HTTP date counted from now (at least 0);
     * -1 when absent or unreadable.
     */
    static long retryAfterSeconds(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return -1;
        }
        String value = retryAfter.trim();
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(Instant.now(), at.toInstant()).toSeconds());
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
