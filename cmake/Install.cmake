# `cmake --install BUILD --prefix P` (DESIGN.md "Embedding"): P/bin/claimgate, P/lib/libclaimgate.so,
# P/include/claimgate/*.h, P/lib/cmake/claimgate/claimgateConfig.cmake (+ ConfigVersion, targets)
# and P/lib/pkgconfig/claimgate.pc. A consumer writes find_package(claimgate CONFIG REQUIRED) and
# target_link_libraries(app PRIVATE claimgate::claimgate).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS claimgate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS claimgate_lib EXPORT claimgateTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/claimgate/claimgate.h
              ${PROJECT_SOURCE_DIR}/include/claimgate/status.h
              ${PROJECT_BINARY_DIR}/include/claimgate/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/claimgate)

set(claimgate_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/claimgate)
install(EXPORT claimgateTargets NAMESPACE claimgate:: DESTINATION ${claimgate_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/claimgateConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/claimgateConfig.cmake
                              INSTALL_DESTINATION ${claimgate_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/claimgateConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/claimgateConfig.cmake
              ${PROJECT_BINARY_DIR}/claimgateConfigVersion.cmake
        DESTINATION ${claimgate_cmake_dir})

configure_file(${PROJECT_SOURCE_DIR}/cmake/claimgate.pc.in ${PROJECT_BINARY_DIR}/claimgate.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/claimgate.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
