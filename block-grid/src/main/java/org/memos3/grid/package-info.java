/** block-grid: the memo value store over Apache Ignite; Ignite types never leave {@code ignite}. */
package org.memos3.grid;
