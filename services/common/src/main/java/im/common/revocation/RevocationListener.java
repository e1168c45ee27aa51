package im.common.revocation;

/**
 * Told of each revocation this process learns of, once: made here or heard from another node.
 * Called on whichever thread learned of it (a Redis connection's event loop, the revoking
 * request's thread): it must not block.
 */
@FunctionalInterface
public interface RevocationListener {

    void revoked(Revocation revocation);
}
