package im.user.profile;

import im.common.profile.Usernames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and creates profiles; the transaction boundary for the profile feature. */
@ApplicationScoped
public class Profiles {

    /** What {@link #create} did. */
    public enum Outcome {
        /** The profile exists now with the requested id and username (new or already there). */
        PRESENT,
        /** The username belongs to another id, or the id already has another username. */
        CONFLICT
    }

    public record Created(Outcome outcome, UserProfile profile) {
    }

    private final UserProfileRepository profiles;

    public Profiles(UserProfileRepository profiles) {
        this.profiles = profiles;
    }

    @Transactional
    public Optional<UserProfile> find(long userId) {
        return profiles.findByIdOptional(userId);
    }

    @Transactional
    public Optional<UserProfile> findByUsername(String username) {
        if (!Usernames.isValid(username)) {
            return Optional.empty();
        }
        return profiles.findByUsername(username);
    }

    /** At most {@code limit} profiles whose username starts with {@code prefix}, in username order. */
    @Transactional
    public List<UserProfile> searchByUsernamePrefix(String prefix, int limit) {
        return profiles.byUsernamePrefix(prefix, limit);
    }

    /** The first of {@code userIds}, in their order, that has no profile; empty when all have one. */
    @Transactional
    public Optional<Long> firstUnknown(Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> known = new HashSet<>(profiles.getEntityManager()
                .createQuery("SELECT p.userId FROM UserProfile p WHERE p.userId IN :ids", Long.class)
                .setParameter("ids", List.copyOf(new HashSet<>(userIds)))
                .getResultList());
        return userIds.stream().filter(id -> !known.contains(id)).findFirst();
    }

    /**
     * Sets the user's display name ({@code displayName} already checked); empty when the user has
     * no profile. Read from the database on every call, by REST and {@code UserDirectory.GetUser}
     * alike, so the next read anywhere shows the new name.
     */
    @Transactional
    public Optional<UserProfile> changeDisplayName(long userId, String displayName) {
        Optional<UserProfile> profile = profiles.findByIdOptional(userId);
        profile.ifPresent(p -> p.displayName = displayName);
        return profile;
    }

    /**
     * Makes the blob the user's avatar, or removes the avatar when {@code blobId} is null; empty
     * when the user has no profile. The router stored the blob before it asks (the user service
     * never holds image bytes), so a profile names only blobs that are there.
     */
    @Transactional
    public Optional<UserProfile> changeAvatar(long userId, String blobId, String thumbnailBlobId) {
        Optional<UserProfile> profile = profiles.findByIdOptional(userId);
        profile.ifPresent(p -> {
            p.avatarBlobId = blobId;
            p.avatarThumbnailBlobId = blobId == null ? null : thumbnailBlobId;
        });
        return profile;
    }

    /**
     * Idempotent: a repeat with the same id and username changes nothing (the display name of the
     * first call stays). The insert runs before any read in this transaction, so the reread sees a
     * row a concurrent caller committed meanwhile.
     */
    @Transactional
    public Created create(CreateProfile request) {
        UserProfile profile = new UserProfile();
        profile.userId = request.userId();
        profile.username = request.username();
        profile.displayName = request.displayName();
        profile.createdAt = System.currentTimeMillis();
        profiles.insertIfAbsent(profile);
        Optional<UserProfile> stored = profiles.findByIdOptional(request.userId());
        if (stored.isPresent() && stored.get().username.equals(request.username())) {
            return new Created(Outcome.PRESENT, stored.get());
        }
        return new Created(Outcome.CONFLICT, stored.orElse(null));
    }
}
