package im.common.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Makes a service without its identity secret stop at boot, naming the setting. */
@Singleton
class ServiceIdentityStartup {

    void requireKey(@Observes StartupEvent started, ServiceKey key) {
        // Resolving the key is the check: its constructor refuses a missing or short secret.
    }
}
