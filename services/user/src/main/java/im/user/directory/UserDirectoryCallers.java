package im.user.directory;

import im.common.service.ServiceMethods;
import im.common.service.ServiceName;
import im.protocol.user.UserDirectoryGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Who may call the directory: auth creates profiles as accounts are made, router asks whether a
 * send is allowed and who hears of a user's presence, and sets the avatars it stored; both may
 * read a profile. No client reaches these methods (users read profiles through the REST API,
 * which checks their token).
 */
class UserDirectoryCallers {

    @Produces
    @Singleton
    ServiceMethods userDirectoryMethods() {
        return ServiceMethods.of(ServiceName.USER)
                .allow(UserDirectoryGrpc.getCreateProfileMethod(), ServiceName.AUTH)
                .allow(UserDirectoryGrpc.getGetUserMethod(), ServiceName.AUTH, ServiceName.ROUTER)
                .allow(UserDirectoryGrpc.getCheckSendMethod(), ServiceName.ROUTER)
                .allow(UserDirectoryGrpc.getRecordPresenceMethod(), ServiceName.ROUTER)
                .allow(UserDirectoryGrpc.getVisiblePresenceMethod(), ServiceName.ROUTER)
                .allow(UserDirectoryGrpc.getSetAvatarMethod(), ServiceName.ROUTER);
    }
}
