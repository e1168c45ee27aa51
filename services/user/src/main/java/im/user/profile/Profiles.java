package im.user.profile;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

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
        if (!ProfileRules.isUsername(username)) {
            return Optional.empty();
        }
        return profiles.findByUsername(username);
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
