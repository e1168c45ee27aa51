package im.leaf.grpc;

import im.common.service.ServiceMethods;
import im.common.service.ServiceName;
import im.protocol.leaf.LeafGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Who may draw ids: the services that create users (auth) and messages (router). */
class LeafCallers {

    @Produces
    @Singleton
    ServiceMethods leafMethods() {
        return ServiceMethods.of(ServiceName.LEAF)
                .allow(LeafGrpc.getNextIdsMethod(), ServiceName.AUTH, ServiceName.ROUTER);
    }
}
