package im.inprocess.revocation;

import im.common.revocation.Revocation;
import im.common.revocation.RevocationList;
import im.common.revocation.RevocationListener;
import im.common.revocation.SessionRevocations;
import im.common.token.VerifiedUser;
import jakarta.inject.Singleton;

/**
 * Revocations inside the one JVM of the standalone app: the list is this process's memory, and a
 * revocation reaches the listeners (push's open sessions) on the revoking thread. A restart
 * forgets the list: an access token of a revoked session would verify again after a restart
 * until its own expiry (the access-token lifetime at most), while its refresh token stays revoked
 * in the database.
 */
@Singleton
public class InProcessSessionRevocations implements SessionRevocations {

    private final RevocationList list = new RevocationList();

    @Override
    public void revoke(Revocation revocation) {
        list.add(revocation);
    }

    @Override
    public boolean isRevoked(VerifiedUser user) {
        return list.covers(user);
    }

    @Override
    public void addListener(RevocationListener listener) {
        list.addListener(listener);
    }
}
