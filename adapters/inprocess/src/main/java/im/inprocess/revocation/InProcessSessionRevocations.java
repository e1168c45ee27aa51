package im.inprocess.revocation;

import im.common.revocation.RevocationList;
import im.common.revocation.SessionRevocations;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Revocations inside the one JVM of the standalone app: the list is this process's memory, and a
 * revocation reaches the listeners (push's open sessions) on the revoking thread. A restart
 * forgets the list: an access token of a revoked session would verify again after a restart
 * until its own expiry (the access-token lifetime at most), while its refresh token stays revoked
 * in the database.
 */
public class InProcessSessionRevocations {

    @Produces
    @Singleton
    SessionRevocations revocations() {
        return new RevocationList();
    }
}
