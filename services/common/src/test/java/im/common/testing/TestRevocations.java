package im.common.testing;

import im.common.revocation.Revocation;
import im.common.revocation.RevocationList;
import im.common.revocation.RevocationListener;
import im.common.revocation.SessionRevocations;
import im.common.token.VerifiedUser;

/** A revocation list in memory for unit tests that build their verifier by hand (not a bean). */
public final class TestRevocations implements SessionRevocations {

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
