/** The console's key browser: prefix search, paging, text or hex values, confirmed put and delete. */
package io.raftstore.web.console.keys;
