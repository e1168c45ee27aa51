package im.auth.role;

import java.util.List;

/** One account as the admin listing shows it. */
public record AccountRoles(long userId, String username, List<String> roles) {
}
