package im.router.presence;

import im.common.service.ServiceMethods;
import im.common.service.ServiceName;
import im.protocol.router.RouterGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The router's one service-only method: push tells it of devices that connect and leave. Every
 * other router method acts for the user whose access token it carries.
 */
class RouterCallers {

    @Produces
    @Singleton
    ServiceMethods routerMethods() {
        return ServiceMethods.of(ServiceName.ROUTER)
                .allow(RouterGrpc.getDevicePresenceMethod(), ServiceName.PUSH);
    }
}
