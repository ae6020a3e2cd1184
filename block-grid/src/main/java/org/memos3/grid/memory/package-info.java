/** In-memory implementations of the grid interfaces, for fast unit tests and benchmark ceilings. */
package org.memos3.grid.memory;
