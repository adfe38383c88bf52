package kz.ikomek.vision.console.auth;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Who a console user is; what each may see and do is decided in {@link Access}. */
public enum Role {
    OPERATOR, POLICE, UTILITY, ADMIN;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<Role> fromWire(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
    }
}
