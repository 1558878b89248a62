# Install rules and the Debian package (cpack -G DEB in the build directory): the two
# binaries, the systemd unit, its defaults file, the documentation and an example keys file.
include(GNUInstallDirs)
install(TARGETS carematchd carematch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/carematchd.service
        DESTINATION lib/systemd/system)
# /etc, not /usr/etc: a conffile (packaging/debian/conffiles), kept across upgrades
install(FILES ${PROJECT_SOURCE_DIR}/packaging/carematchd.default
        DESTINATION /etc/default RENAME carematchd)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/API.md
              ${PROJECT_SOURCE_DIR}/packaging/keys.example.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME carematch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "carematch maintainers <carematch@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "matching and search engine for care and autonomy jobs (carematchd, carematch)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# the shared libraries' packages, found by dpkg-shlibdeps; adduser for the postinst
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
