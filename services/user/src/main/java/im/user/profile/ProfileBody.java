package im.user.profile;

/** Body of {@code PUT /users/me/profile}: what its owner may change of a profile. */
public record ProfileBody(String displayName) {
}
