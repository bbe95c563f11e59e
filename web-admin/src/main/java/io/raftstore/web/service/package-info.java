/**
 * What the REST API and the console share: settings, the cluster overview ({@code cluster}) and the admin
 * changes with their audit list ({@code changes}). Knows neither of its two users.
 */
package io.raftstore.web.service;
