package im.auth.oidc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** An account's link to a user of an outside provider. */
@Entity
@Table(name = "oidc_identity")
@IdClass(OidcIdentity.Key.class)
public class OidcIdentity {

    @Id
    @Column(name = "provider", length = 32)
    public String provider;

    @Id
    @Column(name = "subject", length = 255)
    public String subject;

    @Column(name = "user_id", nullable = false)
    public long userId;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        public String provider;
        public String subject;

        public Key() {
        }

        public Key(String provider, String subject) {
            this.provider = provider;
            this.subject = subject;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(provider, key.provider)
                    && Objects.equals(subject, key.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(provider, subject);
        }
    }
}
