package io.raftstore.web.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a REST resource method needs; {@code io.raftstore.web.rest.AccessFilter} enforces it. Every resource method carries one
 * (a method without it is refused, so a new route is closed until someone decides who may call it).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Access {
    ApiRole value();
}
