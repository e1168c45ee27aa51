package im.auth.role;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The role, role_permission and user_role tables (db/migration/auth V1_4). */
@ApplicationScoped
public class RoleRepository {

    private final EntityManager entities;

    public RoleRepository(EntityManager entities) {
        this.entities = entities;
    }

    public Grants grantsOf(long userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery(
                        "SELECT ur.role_name, rp.permission FROM user_role ur"
                                + " LEFT JOIN role_permission rp ON rp.role_name = ur.role_name"
                                + " WHERE ur.user_id = ?1")
                .setParameter(1, userId)
                .getResultList();
        Set<String> roles = new TreeSet<>();
        Set<String> permissions = new TreeSet<>();
        for (Object[] row : rows) {
            roles.add((String) row[0]);
            if (row[1] != null) {
                permissions.add((String) row[1]);
            }
        }
        return new Grants(roles, permissions);
    }

    public Set<String> roleNames() {
        @SuppressWarnings("unchecked")
        List<String> names = entities.createNativeQuery("SELECT name FROM role").getResultList();
        return new HashSet<>(names);
    }

    /** Adds the role unless the user has it; a repeat is a no-op, not an error. */
    public void grant(long userId, String role) {
        entities.createNativeQuery("INSERT INTO user_role (user_id, role_name) VALUES (?1, ?2)"
                        + " ON DUPLICATE KEY UPDATE role_name = role_name")
                .setParameter(1, userId)
                .setParameter(2, role)
                .executeUpdate();
    }

    public void revokeAll(long userId) {
        entities.createNativeQuery("DELETE FROM user_role WHERE user_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }

    /** Accounts after {@code afterUserId} in id order, at most {@code limit}, with their roles. */
    public List<AccountRoles> page(long afterUserId, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> accounts = entities.createNativeQuery(
                        "SELECT user_id, username FROM account WHERE user_id > ?1 ORDER BY user_id LIMIT ?2")
                .setParameter(1, afterUserId)
                .setParameter(2, limit)
                .getResultList();
        if (accounts.isEmpty()) {
            return List.of();
        }
        Map<Long, Set<String>> roles = new LinkedHashMap<>();
        for (Object[] account : accounts) {
            roles.put(((Number) account[0]).longValue(), new TreeSet<>());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery(
                        "SELECT user_id, role_name FROM user_role WHERE user_id IN (?1)")
                .setParameter(1, List.copyOf(roles.keySet()))
                .getResultList();
        for (Object[] row : rows) {
            roles.get(((Number) row[0]).longValue()).add((String) row[1]);
        }
        List<AccountRoles> page = new ArrayList<>(accounts.size());
        for (Object[] account : accounts) {
            long userId = ((Number) account[0]).longValue();
            page.add(new AccountRoles(userId, (String) account[1], List.copyOf(roles.get(userId))));
        }
        return page;
    }

    public boolean accountExists(long userId) {
        return !entities.createNativeQuery("SELECT 1 FROM account WHERE user_id = ?1")
                .setParameter(1, userId)
                .getResultList().isEmpty();
    }
}
