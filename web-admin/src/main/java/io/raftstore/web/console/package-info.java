/**
 * The admin console (Jakarta Faces, under {@code /console}): settings, the logged-in user, and the pages'
 * backing beans in the sub-packages — cluster overview, failover history, key browser and admin actions.
 */
package io.raftstore.web.console;
