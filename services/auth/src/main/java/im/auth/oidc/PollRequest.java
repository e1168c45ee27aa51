package im.auth.oidc;

public record PollRequest(String loginId) {
}
