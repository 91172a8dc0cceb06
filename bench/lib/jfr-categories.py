#!/usr/bin/env python3
"""Where the CPU went, by library: reads `jfr print --events jdk.ExecutionSample` on stdin.

Self: each CPU sample is given to the library of its innermost frame outside the JDK and the Servlet API
(a HashMap look-up called by Jackson counts as Jackson's); samples with such frames only are "JDK only". Inclusive: the
share of samples with at least one frame of the group anywhere in the stack (groups overlap).
"""
import re
import sys

# Ordered: the first prefix that matches a frame's class names its library.
LIBRARIES = [
    ("PostgreSQL JDBC driver", ("org.postgresql.",)),
    ("Hikari connection pool", ("com.zaxxer.hikari.",)),
    ("Spring JDBC and transactions", ("org.springframework.jdbc.", "org.springframework.transaction.",
                                      "org.springframework.dao.")),
    ("Jackson", ("tools.jackson.", "com.fasterxml.jackson.")),
    ("JWT (Nimbus)", ("com.nimbusds.",)),
    ("Spring Security", ("org.springframework.security.",)),
    ("Micrometer", ("io.micrometer.",)),
    ("Bucket4j", ("io.github.bucket4j.",)),
    ("Caffeine", ("com.github.benmanes.caffeine.",)),
    ("Reactor and Netty (WebClient)", ("reactor.", "io.netty.")),
    ("Spring MVC and web", ("org.springframework.web.", "org.springframework.http.",
                            "org.springframework.validation.")),
    ("Tomcat", ("org.apache.tomcat.", "org.apache.catalina.", "org.apache.coyote.")),
    ("Logging", ("ch.qos.logback.", "org.slf4j.")),
    ("Hibernate Validator", ("org.hibernate.validator.",)),
    ("the gateway's own code", ("dev.dinggate.",)),
    ("Spring, other", ("org.springframework.",)),
]
# Passed through to their caller: the JDK, and the Servlet API's wrappers (a filter's request wrapper
# asked for an attribute counts as that filter's work).
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.servlet.")
INCLUSIVE = [
    ("database: JDBC driver, Hikari, Spring JDBC", ("org.postgresql.", "com.zaxxer.hikari.",
                                                   "org.springframework.jdbc.", "org.springframework.transaction.")),
    ("Jackson", ("tools.jackson.", "com.fasterxml.jackson.")),
    ("Spring Security filter chain", ("org.springframework.security.",)),
    ("Spring MVC's DispatcherServlet (handler mapping, the controller, writing the answer)",
     ("org.springframework.web.servlet.DispatcherServlet.",)),
    ("Micrometer", ("io.micrometer.",)),
    ("the mirror read itself (DirectoryReads: the query and the details column's JSON)",
     ("dev.dinggate.directory.DirectoryReads.",)),
    ("the gateway's DingTalk adapter", ("dev.dinggate.dingtalk.",)),
]
FRAME = re.compile(r"^\s+([\w$.]+)\.[\w$<>]+\(")


def library(frame):
    for name, prefixes in LIBRARIES:
        if frame.startswith(prefixes):
            return name
    return None if frame.startswith(JDK) else "other: " + ".".join(frame.split(".")[:2])


def main():
    samples = []
    stack, inside = [], False
    for line in sys.stdin:
        if line.strip().startswith("stackTrace = ["):
            stack, inside = [], True
        elif inside and line.strip() == "]":
            samples.append(stack)
            inside = False
        elif inside:
            match = FRAME.match(line)
            if match:
                stack.append(match.group(1) + ".")   # "pkg.Class.": package and class prefixes both match
    if not samples:
        print("no execution samples")
        return
    self_counts = {}
    for stack in samples:
        owner = next((name for name in map(library, stack) if name), "JDK only")
        self_counts[owner] = self_counts.get(owner, 0) + 1
    total = len(samples)
    print(f"CPU samples: {total}; self, by the innermost frame outside the JDK:")
    for name, count in sorted(self_counts.items(), key=lambda entry: -entry[1]):
        print(f"  {100 * count / total:5.1f} %  {name}")
    print("inclusive, any frame of the group in the stack:")
    for name, prefixes in INCLUSIVE:
        count = sum(1 for stack in samples if any(frame.startswith(prefixes) for frame in stack))
        print(f"  {100 * count / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
