package im.common.service;

/** A call's service token is missing, forged, expired or minted for another service. */
public class ServiceTokenRejectedException extends Exception {

    public ServiceTokenRejectedException(String message) {
        super(message);
    }
}
