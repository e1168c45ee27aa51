package im.router.group;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;

/** A group's name: 1..64 characters, trimmed, no control characters. */
final class GroupNames {

    static final int MAX_LENGTH = 64;

    private GroupNames() {
    }

    static String require(String name) {
        String trimmed = name == null ? "" : name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length == 0 || length > MAX_LENGTH) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "name must be 1.." + MAX_LENGTH + " characters");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "name must not hold control characters");
        }
        return trimmed;
    }
}
