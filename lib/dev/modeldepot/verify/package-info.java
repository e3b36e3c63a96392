/** Integrity: SHA-256, structural checks of model formats, fast stamps, corruption handling. */
package dev.modeldepot.verify;
