/** Admin actions of the console and admin REST (leadership transfer, backup, snapshot now, membership changes), each confirmed in the page and written to the audit list. */
package io.raftstore.web.console.actions;
