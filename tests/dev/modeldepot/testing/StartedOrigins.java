package dev.modeldepot.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(StartedOrigins.class)}: every non-static {@link FaultOrigin} field of the
 * test is a fresh loopback origin, started before each test (before its {@code @BeforeEach}
 * methods, which may serve files on it) and closed after it. Replaces the start/stop pair each
 * engine test used to repeat.
 */
public final class StartedOrigins implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace HERE = ExtensionContext.Namespace.create(StartedOrigins.class);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Object test = context.getRequiredTestInstance();
        List<FaultOrigin> started = new ArrayList<>();
        context.getStore(HERE).put("started", started);
        for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == FaultOrigin.class && !Modifier.isStatic(f.getModifiers())) {
                    FaultOrigin origin = FaultOrigin.start();
                    started.add(origin);
                    f.setAccessible(true);
                    f.set(test, origin);
                }
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        List<FaultOrigin> started = (List<FaultOrigin>) context.getStore(HERE).remove("started");
        if (started != null) {
            started.forEach(FaultOrigin::close);
        }
    }
}
