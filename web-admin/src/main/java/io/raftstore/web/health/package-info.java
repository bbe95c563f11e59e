/** MicroProfile Health checks of the node: started (recovery done), live (loop ticking), ready (leader known, caught up). */
package io.raftstore.web.health;
