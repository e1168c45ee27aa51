package im.auth.oidc;

/** Who the provider says the user is: its stable id of them, their login name and display name. */
record ExternalIdentity(String subject, String login, String displayName) {
}
