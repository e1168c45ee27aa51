package im.auth.role;

import java.util.Set;

/** What an account may do: its roles and the union of their permissions. */
public record Grants(Set<String> roles, Set<String> permissions) {
}
