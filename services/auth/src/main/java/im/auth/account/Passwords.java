package im.auth.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.enterprise.context.ApplicationScoped;

/** Argon2id password hashes (password4j), in PHC string form. */
@ApplicationScoped
public class Passwords {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Function argon2;
    /** A hash of nothing anyone knows: checked when the username is unknown, to spend the same time. */
    private final String decoy;

    public Passwords(PasswordConfig config) {
        this.argon2 = Argon2Function.getInstance(config.memoryKib(), config.iterations(), config.parallelism(),
                HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
        this.decoy = hash("decoy password for unknown usernames");
    }

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(argon2).getResult();
    }

    public boolean matches(String password, String storedHash) {
        return Password.check(password, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
    }

    /** Spends one hash for a login of an unknown username, so timing does not tell names apart. */
    public void spendOneHash(String password) {
        matches(password, decoy);
    }
}
