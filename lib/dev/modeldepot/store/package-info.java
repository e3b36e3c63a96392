/** The shared, content-addressed model store, its metadata and the startup check. */
package dev.modeldepot.store;
