/**
 * Operations: the node's metrics (Micrometer, Prometheus format), the routes of the admin endpoint
 * (metrics, health, cluster state) and the command-line configuration sources.
 */
package org.memos3.frontend.ops;
