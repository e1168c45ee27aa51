package im.router.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/** The router's one group-commit writer: sends and delivery acks share its transactions. */
@ApplicationScoped
public class RouterStore {

    /** Lane ranks: a shared transaction locks send rows (device numbers, conversations) first. */
    public static final int SENDS_RANK = 1;
    public static final int DELIVERY_ACKS_RANK = 2;

    @Produces
    @Singleton
    GroupCommit groupCommit(Transactions transactions, StoreConfig config) {
        return new GroupCommit("router-store", transactions, config.writeAttempts());
    }

    void stop(@Disposes GroupCommit groupCommit) {
        // Writes already queued are stored and answered; later ones get UNAVAILABLE and are resent.
        groupCommit.stop(5, TimeUnit.SECONDS);
    }
}
