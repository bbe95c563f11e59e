/** Admin actions of the console (leadership transfer), each confirmed in the page and written to the audit list. */
package io.raftstore.web.console.actions;
