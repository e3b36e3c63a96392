/** The background download service and its HTTP admin API. */
package dev.modeldepot.service;
