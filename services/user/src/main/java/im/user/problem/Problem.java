package im.user.problem;

/**
 * The body of every REST error ({@code application/problem+json}, RFC 9457): {@code code} is a
 * stable machine-readable name from {@link ProblemCode}, the rest is for people.
 */
public record Problem(String type, String title, int status, String detail, String code) {
}
