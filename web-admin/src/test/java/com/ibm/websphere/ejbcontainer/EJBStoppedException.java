package com.ibm.websphere.ejbcontainer;

/**
 * A stand-in, for unit tests only, for Liberty's exception of the same name (a RuntimeException the proxies of a
 * stopped application's beans throw), which is not on this module's test classpath: ErrorMappers recognises it
 * by name.
 */
public class EJBStoppedException extends RuntimeException {

    public EJBStoppedException(String message) {
        super(message);
    }
}
